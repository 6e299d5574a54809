package org.acme.counter;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * An immortal counter: every {@code add} is recorded in Kafka before it runs, and {@code value} survives any crash.
 */
@Immortal
public class Counter {

    long value;

    public long add(long n) {
        value += n;
        return value;
    }

    /**
     * The same for a caller that must not wait, such as an event loop: the call is recorded at once, and the
     * {@code Uni} completes with the new value once the addition is durable and has run.
     */
    public Uni<Long> addAsync(long n) {
        value += n;
        return Uni.createFrom().item(value);
    }

    @ReadOnly
    public long value() {
        return value;
    }
}
