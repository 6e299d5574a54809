package io.quarkiverse.ambrosia.it;

import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Immortals;
import io.quarkiverse.ambrosia.ReadOnly;

@Immortal
public class Tally {

    long total;
    long attempts;
    List<String> stamps = new ArrayList<>();

    public long add(long n) {
        total += n;
        return total;
    }

    /**
     * Counts the attempt, then refuses non-positive numbers: the attempt stays counted, on replay too.
     */
    public long addPositive(long n) {
        attempts++;
        if (n <= 0) {
            throw new IllegalArgumentException("not positive: " + n);
        }
        total += n;
        return total;
    }

    public String stamp() {
        String stamp = Immortals.now() + " " + Immortals.random().nextLong() + " " + Immortals.uuid();
        stamps.add(stamp);
        return stamp;
    }

    @ReadOnly
    public Snapshot snapshot() {
        return new Snapshot(total, attempts, stamps);
    }

    public record Snapshot(long total, long attempts, List<String> stamps) {
    }
}
