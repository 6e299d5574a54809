package org.acme.transfer.accounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * each transfer moved money exactly once.
 */
@Immortal
@Path("/accounts")
public class AccountsImmortal implements Accounts {

    Map<String, Long> balances = new TreeMap<>();
    Map<String, List<String>> journal = new TreeMap<>();

    @Override
    public Uni<Long> withdraw(String transfer, String account, long amount) {
        long balance = balances.getOrDefault(account, OPENING_BALANCE);
        if (amount > balance) {
            throw new InsufficientFundsException(account + " holds " + balance + ", less than " + amount);
        }
        return Uni.createFrom().item(move(transfer, "withdraw", account, -amount));
    }

    @Override
    public Uni<Long> deposit(String transfer, String account, long amount) {
        return Uni.createFrom().item(move(transfer, "deposit", account, amount));
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
