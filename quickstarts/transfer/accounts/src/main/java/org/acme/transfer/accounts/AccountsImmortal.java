package org.acme.transfer.accounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.acme.transfer.api.Accounts;
import org.acme.transfer.api.InsufficientFundsException;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Key;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * The accounts, owned by this service: one state per account (its balance, the movements of each transfer on it, the
 * transfers cancelled on it), over 12 partitions shared by every instance of the service. Other services call it
 * through {@link Accounts}; its name, and so its log topic, comes from that interface. Every movement is also written
 * to the account's journal by transfer, so anyone can check that each transfer moved money exactly once, or was
 * cancelled with nothing left applied.
 */
@Immortal
@Path("/accounts")
public class AccountsImmortal implements Accounts {

    static final String WITHDRAW = "withdraw";
    static final String DEPOSIT = "deposit";
    static final String REFUND = "refund";

    long balance = OPENING_BALANCE;
    Map<String, List<String>> journal = new TreeMap<>();
    Set<String> cancelled = new TreeSet<>();

    @Override
    public Uni<Long> withdraw(String transfer, @Key String account, long amount) {
        requireMovable(transfer, amount);
        if (amount > balance) {
            throw new InsufficientFundsException(account + " holds " + balance + ", less than " + amount);
        }
        return Uni.createFrom().item(move(transfer, WITHDRAW, account, -amount));
    }

    @Override
    public Uni<Long> deposit(String transfer, @Key String account, long amount) {
        requireMovable(transfer, amount);
        return Uni.createFrom().item(move(transfer, DEPOSIT, account, amount));
    }

    @Override
    public Uni<Boolean> cancelDeposit(String transfer, @Key String account) {
        if (find(journal.getOrDefault(transfer, List.of()), DEPOSIT) != null) {
            return Uni.createFrom().item(true);
        }
        // refuses the deposit that might still come, so the transfer stays cancelled
        cancelled.add(transfer);
        return Uni.createFrom().item(false);
    }

    @Override
    public Uni<Long> refund(String transfer, @Key String account) {
        List<String> movements = journal.getOrDefault(transfer, List.of());
        String withdrawal = find(movements, WITHDRAW);
        if (withdrawal != null && find(movements, REFUND) == null) {
            move(transfer, REFUND, account, Long.parseLong(withdrawal.split(" ")[2]));
        }
        // refuses the withdrawal that might still come
        cancelled.add(transfer);
        return Uni.createFrom().item(balance);
    }

    // checked before anything changes, so a refused call leaves the account as it was
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
        balance += amount;
        journal.computeIfAbsent(transfer, t -> new ArrayList<>()).add(what + " " + account + " " + Math.abs(amount));
        return balance;
    }

    @GET
    @Path("/{account}")
    @ReadOnly
    public long balance(@Key @PathParam("account") String account) {
        return balance;
    }

    @GET
    @Path("/{account}/journal")
    @ReadOnly
    public Map<String, List<String>> journal(@Key @PathParam("account") String account) {
        return journal;
    }
}
