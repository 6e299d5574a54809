package io.quarkiverse.ambrosia.deployment.calls;

import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Immortals;
import io.quarkiverse.ambrosia.ReadOnly;

@Immortal
public class Counter {

    long value;
    long attempts;
    List<Long> offsets = new ArrayList<>();
    List<Long> times = new ArrayList<>();

    public long add(long n) {
        offsets.add(Immortals.offset());
        times.add(Immortals.now().toEpochMilli());
        value += n;
        return value;
    }

    public long withdraw(long n) {
        attempts++;
        if (n > value) {
            throw new IllegalStateException("insufficient funds: " + value + " < " + n);
        }
        value -= n;
        return value;
    }

    public String stamp() {
        return Immortals.offset() + "|" + Immortals.now().toEpochMilli() + "|" + Immortals.callId();
    }

    @ReadOnly
    public long value() {
        return value;
    }

    @ReadOnly
    public long attempts() {
        return attempts;
    }

    @ReadOnly
    public List<Long> offsets() {
        return offsets;
    }

    @ReadOnly
    public List<Long> times() {
        return times;
    }
}
