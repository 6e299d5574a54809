package org.acme.counter;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;

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

    @ReadOnly
    public long value() {
        return value;
    }
}
