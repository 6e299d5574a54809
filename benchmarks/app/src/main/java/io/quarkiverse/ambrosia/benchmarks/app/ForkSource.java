package io.quarkiverse.ambrosia.benchmarks.app;

import jakarta.inject.Inject;

import io.quarkiverse.ambrosia.Immortal;

/**
 * Sends forks to {@link ForkSink}: each call of {@link #fork} is one impulse whose handler sends {@code n} calls,
 * written in its processing transaction.
 */
@Immortal
public class ForkSource {

    long sent;

    @Inject
    ForkSink sink;

    public int fork(int n, String payload) {
        for (int i = 0; i < n; i++) {
            sink.take(payload);
        }
        sent += n;
        return n;
    }
}
