package io.quarkiverse.ambrosia.benchmarks.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * The immortal measured by the programmatic throughput scenario: counts calls and payload bytes.
 */
@Immortal
public class Counter {

    long count;
    long bytes;

    public long add(String payload) {
        count++;
        bytes += payload.length();
        return count;
    }

    /**
     * The same, for callers that do not wait: returns at once, completes when the call is recorded and has run.
     */
    public CompletionStage<Long> addAsync(String payload) {
        return CompletableFuture.completedFuture(add(payload));
    }

    @ReadOnly
    public long count() {
        return count;
    }
}
