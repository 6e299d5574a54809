package io.quarkiverse.ambrosia.benchmarks.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * Runs the in-process (programmatic) scenarios: many threads calling an immortal, each waiting for its own call, and
 * forks between two immortals. Answers how long it took.
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
     * {@code count} calls of {@code Counter.add} with a payload of {@code size} characters, from {@code concurrency}
     * threads.
     */
    @POST
    @Path("/pipeline")
    public Map<String, Long> pipeline(@QueryParam("count") int count, @QueryParam("size") int size,
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
