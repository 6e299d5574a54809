package org.acme.transfer.accounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.acme.transfer.api.Accounts;
import org.acme.transfer.api.InsufficientFundsException;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * The accounts, owned by this service. Other services call it through {@link Accounts}; its name, and so its log
 * topic, comes from that interface. Every movement is also written to a journal by transfer, so anyone can check that
 * each transfer moved money exactly once, or was cancelled with nothing left applied.
 */
@Immortal
@Path("/accounts")
public class AccountsImmortal implements Accounts {

    static final String WITHDRAW = "withdraw";
    static final String DEPOSIT = "deposit";
    static final String REFUND = "refund";

    Map<String, Long> balances = new TreeMap<>();
    Map<String, List<String>> journal = new TreeMap<>();
    Set<String> cancelled = new TreeSet<>();

    @Override
    public Uni<Long> withdraw(String transfer, String account, long amount) {
        requireMovable(transfer, amount);
        long balance = balances.getOrDefault(account, OPENING_BALANCE);
        if (amount > balance) {
            throw new InsufficientFundsException(account + " holds " + balance + ", less than " + amount);
        }
        return Uni.createFrom().item(move(transfer, WITHDRAW, account, -amount));
    }

    @Override
    public Uni<Long> deposit(String transfer, String account, long amount) {
        requireMovable(transfer, amount);
        return Uni.createFrom().item(move(transfer, DEPOSIT, account, amount));
    }

    @Override
    public Uni<Boolean> cancel(String transfer) {
        List<String> movements = journal.getOrDefault(transfer, List.of());
        String withdrawal = find(movements, WITHDRAW);
        if (withdrawal != null && find(movements, DEPOSIT) != null) {
            // both legs ran: the transfer is complete, and its deposit may have been spent since
            return Uni.createFrom().item(false);
        }
        if (withdrawal != null && find(movements, REFUND) == null) {
            String[] parts = withdrawal.split(" ");
            move(transfer, REFUND, parts[1], Long.parseLong(parts[2]));
        }
        // refuses any movement of this transfer that might still come, so it stays cancelled
        cancelled.add(transfer);
        return Uni.createFrom().item(true);
    }

    // checked before anything changes, so a refused call leaves the accounts as they were
    private void requireMovable(String transfer, long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("the amount of transfer " + transfer + " must be positive, not " + amount);
        }
        if (cancelled.contains(transfer)) {
            throw new IllegalArgumentException("transfer " + transfer + " was cancelled; use a new id");
        }
    }

    private static String find(List<String> movements, String what) {
        for (String movement : movements) {
            if (movement.startsWith(what + " ")) {
                return movement;
            }
        }
        return null;
    }

    private long move(String transfer, String what, String account, long amount) {
        long balance = balances.getOrDefault(account, OPENING_BALANCE) + amount;
        balances.put(account, balance);
        journal.computeIfAbsent(transfer, t -> new ArrayList<>()).add(what + " " + account + " " + Math.abs(amount));
        return balance;
    }

    @GET
    @ReadOnly
    public Map<String, Long> balances() {
        return balances;
    }

    @GET
    @Path("/journal")
    @ReadOnly
    public Map<String, List<String>> journal() {
        return journal;
    }
}
