package io.quarkiverse.ambrosia.benchmarks.keyed;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.Key;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * The counter of the other scenarios, one per key: a count and a byte total, over the default 12 partitions. Restate's
 * counter virtual object is the same thing.
 */
@Immortal
@Path("/keyed")
public class KeyedCounter {

    long count;
    long bytes;

    @POST
    @Path("/{key}/add")
    @Consumes(MediaType.TEXT_PLAIN)
    @Impulse
    public Uni<Long> add(@Key @PathParam("key") String key, String payload) {
        count++;
        bytes += payload.length();
        return Uni.createFrom().item(count);
    }

    /** The same, called from Java without an HTTP request (the driver's fill of many keys). */
    public CompletionStage<Long> addAsync(@Key String key, String payload) {
        count++;
        bytes += payload.length();
        return CompletableFuture.completedFuture(count);
    }

    @GET
    @Path("/{key}")
    @ReadOnly
    public long count(@Key @PathParam("key") String key) {
        return count;
    }
}
