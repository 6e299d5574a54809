package io.quarkiverse.ambrosia.deployment.admission;

import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Immortals;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * Target of forged records: adds, echoes a string of a chosen length (a reply of any size), and keeps the logged time
 * of each record it ran.
 */
@Immortal
public class Echo {

    long value;
    List<Long> times = new ArrayList<>();

    public long add(long n) {
        times.add(Immortals.now().toEpochMilli());
        value += n;
        return value;
    }

    public String echo(int length) {
        return "x".repeat(length);
    }

    @ReadOnly
    public long value() {
        return value;
    }

    @ReadOnly
    public List<Long> times() {
        return times;
    }
}
