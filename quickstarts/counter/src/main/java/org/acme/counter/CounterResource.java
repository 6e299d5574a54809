package org.acme.counter;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

@Path("/counter")
@Produces(MediaType.APPLICATION_JSON)
public class CounterResource {

    @Inject
    Counter counter;

    /**
     * Adds the number in the request body; answers the new value once the addition is durable and has run.
     */
    @POST
    @Path("/add")
    @Consumes(MediaType.APPLICATION_JSON)
    public long add(long n) {
        return counter.add(n);
    }

    /**
     * The same, served on the event loop: no thread waits while the addition is recorded and run.
     */
    @POST
    @Path("/add-async")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Long> addAsync(long n) {
        return counter.addAsync(n);
    }

    @GET
    public long value() {
        return counter.value();
    }
}
