package io.quarkiverse.ambrosia.deployment.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Collects every message in a build failure (causes and suppressed exceptions), so a test can look for the one a
 * rule produces among the container's own.
 */
final class BuildErrors {

    private BuildErrors() {
    }

    static Consumer<Throwable> containing(String... fragments) {
        return failure -> {
            StringBuilder messages = new StringBuilder();
            collect(failure, messages, Collections.newSetFromMap(new IdentityHashMap<>()));
            for (String fragment : fragments) {
                assertThat(messages.toString()).contains(fragment);
            }
        };
    }

    private static void collect(Throwable t, StringBuilder messages, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        messages.append(t.getMessage()).append('\n');
        collect(t.getCause(), messages, seen);
        for (Throwable suppressed : t.getSuppressed()) {
            collect(suppressed, messages, seen);
        }
    }
}
