package io.quarkiverse.ambrosia.benchmarks.app;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * The immortal measured over HTTP: each POST is an impulse, recorded, run, then answered.
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
    public long add(String payload) {
        count++;
        bytes += payload.length();
        return count;
    }

    @GET
    @ReadOnly
    public long count() {
        return count;
    }
}
