package io.quarkiverse.ambrosia.benchmarks.app;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * The immortal measured over HTTP: each POST is an impulse, recorded, run, then answered. Returning a {@code Uni}, it
 * is served on the event loop, as the baselines are.
 */
@Immortal
@Path("/immortal")
public class RestCounter {

    long count;
    long bytes;

    @POST
    @Path("/add")
    @Consumes(MediaType.TEXT_PLAIN)
    @Impulse
    public Uni<Long> add(String payload) {
        count++;
        bytes += payload.length();
        return Uni.createFrom().item(count);
    }

    @GET
    @ReadOnly
    public long count() {
        return count;
    }
}
