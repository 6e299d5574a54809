package io.quarkiverse.ambrosia.deployment.checkpoints;

import java.util.HashMap;
import java.util.Map;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * Takes any key, {@code null} too (a {@link HashMap} does): a state JSON cannot write.
 */
@Immortal
public class Vault {

    Map<String, Long> balances = new HashMap<>();

    public long deposit(String id, long amount) {
        return balances.merge(id, amount, Long::sum);
    }

    public void remove(String id) {
        balances.remove(id);
    }

    @ReadOnly
    public long total() {
        return balances.values().stream().mapToLong(Long::longValue).sum();
    }
}
