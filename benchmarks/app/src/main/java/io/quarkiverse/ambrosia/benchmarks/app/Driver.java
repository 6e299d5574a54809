package io.quarkiverse.ambrosia.benchmarks.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;

/**
 * Runs the in-process (programmatic) scenarios: calls pipelined into an immortal (from an event loop that does not
 * wait, or from threads that each wait for their own call), and forks between two immortals. Answers how long it
 * took.
 */
@Path("/bench")
public class Driver {

    @Inject
    Counter counter;

    @Inject
    ForkSource source;

    @Inject
    ForkSink sink;

    /**
     * {@code count} calls of {@code Counter.addAsync} with a payload of {@code size} characters, pipelined from this
     * event loop with up to {@code concurrency} calls in flight: each answer (back on this event loop) sends the next.
     * No thread waits for a call.
     */
    @POST
    @Path("/pipeline")
    @NonBlocking
    public Uni<Map<String, Long>> pipeline(@QueryParam("count") int count, @QueryParam("size") int size,
            @QueryParam("concurrency") int concurrency) {
        return new Pipeline(counter, "x".repeat(size), count, concurrency).run();
    }

    /**
     * The same from {@code concurrency} threads, each waiting for its own call to {@code Counter.add}: what a caller
     * on a worker thread does.
     */
    @POST
    @Path("/pipeline-blocking")
    public Map<String, Long> pipelineBlocking(@QueryParam("count") int count, @QueryParam("size") int size,
            @QueryParam("concurrency") int concurrency) throws Exception {
        String payload = "x".repeat(size);
        AtomicInteger left = new AtomicInteger(count);
        long start = System.nanoTime();
        runOn(concurrency, () -> {
            while (left.getAndDecrement() > 0) {
                counter.add(payload);
            }
        });
        return Map.of("records", (long) count, "nanos", System.nanoTime() - start);
    }

    /** Calls kept in flight by one event loop; touched only on it. */
    private static final class Pipeline {
        private final Counter counter;
        private final String payload;
        private final int count;
        private final int window;
        private final CompletableFuture<Map<String, Long>> done = new CompletableFuture<>();
        private long start;
        private int issued;
        private int completed;
        private boolean issuing;
        private Throwable failure;

        Pipeline(Counter counter, String payload, int count, int window) {
            this.counter = counter;
            this.payload = payload;
            this.count = count;
            this.window = Math.max(1, window);
        }

        Uni<Map<String, Long>> run() {
            start = System.nanoTime();
            issue();
            return Uni.createFrom().completionStage(done);
        }

        private void issue() {
            if (issuing) {
                // a call that failed at once completes inside the loop below, which goes on
                return;
            }
            issuing = true;
            while (issued < count && issued - completed < window && failure == null) {
                issued++;
                counter.addAsync(payload).whenComplete((value, error) -> answered(error));
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

    /**
     * {@code count} forks (rounded down to a multiple of {@code perImpulse}, at least one impulse's) of {@code size}
     * characters from {@link ForkSource} to {@link ForkSink}, {@code perImpulse} per impulse, sent from {@code concurrency} threads; done when the sink has run them all.
     */
    @POST
    @Path("/forks")
    public Map<String, Long> forks(@QueryParam("count") int count, @QueryParam("size") int size,
            @QueryParam("perImpulse") int perImpulse, @QueryParam("concurrency") int concurrency) throws Exception {
        String payload = "x".repeat(size);
        int impulseCount = Math.max(1, count / perImpulse);
        long forks = (long) impulseCount * perImpulse;
        long target = sink.count() + forks;
        AtomicInteger impulses = new AtomicInteger(impulseCount);
        long start = System.nanoTime();
        runOn(concurrency, () -> {
            while (impulses.getAndDecrement() > 0) {
                source.fork(perImpulse, payload);
            }
        });
        long deadline = start + TimeUnit.MINUTES.toNanos(5);
        while (sink.count() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sink ran " + sink.count() + " of " + target + " forks in 5 minutes");
            }
            // the sink's progress is local state with no event to wait on; a benchmark may poll
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return Map.of("records", forks, "nanos", System.nanoTime() - start);
    }

    private static void runOn(int threads, Runnable work) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(executor.submit(work));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            executor.shutdown();
        }
    }
}
