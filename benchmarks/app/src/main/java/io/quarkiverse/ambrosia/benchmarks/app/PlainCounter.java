package io.quarkiverse.ambrosia.benchmarks.app;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

/**
 * Baseline: the same endpoint without resiliency, an in-memory counter (lost on a crash). Served on the event loop, as
 * the immortal's is.
 */
@Path("/plain")
public class PlainCounter {

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    @POST
    @Path("/add")
    @Consumes(MediaType.TEXT_PLAIN)
    public Uni<Long> add(String payload) {
        bytes.addAndGet(payload.length());
        return Uni.createFrom().item(count.incrementAndGet());
    }

    @GET
    public long count() {
        return count.get();
    }
}
