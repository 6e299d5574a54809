package io.quarkiverse.ambrosia.it;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * Called by {@link Relay}: hands out numbers in sequence, and counts forks.
 */
@Immortal
public class Source {

    long issued;
    long bumps;

    public Uni<Long> next() {
        return Uni.createFrom().item(++issued);
    }

    public void bump() {
        bumps++;
    }

    @ReadOnly
    public String counts() {
        return "issued=" + issued + " bumps=" + bumps;
    }
}
