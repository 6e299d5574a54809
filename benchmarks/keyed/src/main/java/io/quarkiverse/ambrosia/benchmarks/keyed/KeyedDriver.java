package io.quarkiverse.ambrosia.benchmarks.keyed;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;

/**
 * The keyed scenario's in-process parts: a call for each of many keys, pipelined from one event loop, and the heap
 * the state takes.
 */
@Path("/bench")
public class KeyedDriver {

    @Inject
    KeyedCounter counter;

    /**
     * One call of {@code KeyedCounter.addAsync} (a 16-character payload) for each key {@code k-<from>} to
     * {@code k-<from + keys - 1>}, with up to {@code concurrency} in flight from this event loop.
     */
    @POST
    @Path("/fill")
    @NonBlocking
    public Uni<Map<String, Long>> fill(@QueryParam("from") int from, @QueryParam("keys") int keys,
            @QueryParam("concurrency") int concurrency) {
        return new Fill(counter, from, keys, Math.max(1, concurrency)).run();
    }

    /**
     * @return the heap in use after two full collections, in bytes
     */
    @GET
    @Path("/heap")
    public long heap() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Calls kept in flight by one event loop; touched only on it. */
    private static final class Fill {
        private final KeyedCounter counter;
        private final int from;
        private final int count;
        private final int window;
        private final CompletableFuture<Map<String, Long>> done = new CompletableFuture<>();
        private long start;
        private int issued;
        private int completed;
        private boolean issuing;
        private Throwable failure;

        Fill(KeyedCounter counter, int from, int count, int window) {
            this.counter = counter;
            this.from = from;
            this.count = count;
            this.window = window;
        }

        Uni<Map<String, Long>> run() {
            start = System.nanoTime();
            issue();
            return Uni.createFrom().completionStage(done);
        }

        private void issue() {
            if (issuing) {
                return;
            }
            issuing = true;
            while (issued < count && issued - completed < window && failure == null) {
                String key = "k-" + (from + issued);
                issued++;
                counter.addAsync(key, "xxxxxxxxxxxxxxxx").whenComplete((value, error) -> answered(error));
            }
            issuing = false;
            if (completed == issued && (issued == count || failure != null)) {
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    done.complete(Map.of("records", (long) count, "nanos", System.nanoTime() - start));
                }
            }
        }

        private void answered(Throwable error) {
            completed++;
            if (error != null && failure == null) {
                failure = error;
            }
            issue();
        }
    }
}
