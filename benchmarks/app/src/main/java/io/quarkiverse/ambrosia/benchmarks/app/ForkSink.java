package io.quarkiverse.ambrosia.benchmarks.app;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * Receives the forks of {@link ForkSource}.
 */
@Immortal
public class ForkSink {

    long count;
    long bytes;

    public void take(String payload) {
        count++;
        bytes += payload.length();
    }

    @ReadOnly
    public long count() {
        return count;
    }
}
