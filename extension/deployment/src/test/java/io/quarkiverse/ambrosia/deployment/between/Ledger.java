package io.quarkiverse.ambrosia.deployment.between;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * The callee: balances, changed by calls from {@link Transfers}.
 */
@Immortal
public class Ledger {

    Map<String, Long> balances = new HashMap<>();
    List<String> calls = new ArrayList<>();

    @Inject
    Transfers transfers;

    public Uni<Long> deposit(String account, long amount) {
        calls.add("deposit " + account + " " + amount);
        return Uni.createFrom().item(balances.merge(account, amount, Long::sum));
    }

    public Uni<Long> withdraw(String account, long amount) {
        long balance = balances.getOrDefault(account, 0L);
        if (balance < amount) {
            throw new IllegalStateException("insufficient funds in " + account + ": " + balance + " < " + amount);
        }
        calls.add("withdraw " + account + " " + amount);
        return Uni.createFrom().item(balances.merge(account, -amount, Long::sum));
    }

    public void credit(String account, long amount) {
        balances.merge(account, amount, Long::sum);
    }

    public Uni<Long> depositAll(String account, List<Long> amounts) {
        long sum = amounts.stream().mapToLong(Long::longValue).sum();
        return Uni.createFrom().item(balances.merge(account, sum, Long::sum));
    }

    /**
     * Calls back the immortal that called it: a cycle.
     */
    public Uni<String> audit(String account) {
        return transfers.note("audited " + account).map(notes -> account + " audited, " + notes + " notes");
    }

    @ReadOnly
    public long balance(String account) {
        return balances.getOrDefault(account, 0L);
    }

    @ReadOnly
    public List<String> calls() {
        return calls;
    }
}
