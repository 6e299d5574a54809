package io.quarkiverse.ambrosia.benchmarks.app;

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

    @ReadOnly
    public long count() {
        return count;
    }
}
