package io.quarkiverse.ambrosia.it;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * Calls {@link Source}: keeps every reply its continuations saw, and sends forks.
 */
@Immortal
public class Relay {

    List<Long> seen = new ArrayList<>();

    @Inject
    Source source;

    public Uni<Long> fetch() {
        return source.next().invoke(seen::add);
    }

    public int fork(int times) {
        for (int i = 0; i < times; i++) {
            source.bump();
        }
        return times;
    }

    @ReadOnly
    public List<Long> seen() {
        return seen;
    }
}
