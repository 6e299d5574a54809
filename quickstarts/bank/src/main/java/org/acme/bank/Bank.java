package org.acme.bank;

import java.util.Map;
import java.util.TreeMap;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * A bank whose accounts survive any crash. Each {@code @Impulse} is a REST endpoint: the request is recorded in Kafka,
 * then run, then answered.
 */
@Immortal
@Path("/accounts")
public class Bank {

    Map<String, Long> balances = new TreeMap<>();

    @POST
    @Path("/{id}/deposit")
    @Impulse
    public long deposit(@PathParam("id") String id, long amount) {
        // checked before anything changes, so a refused call leaves the state as it was
        InvalidAmountException.requirePositive("amount", "deposit", amount);
        return balances.merge(id, amount, Long::sum);
    }

    @POST
    @Path("/{id}/withdraw")
    @Impulse
    public long withdraw(@PathParam("id") String id, long amount) {
        // a negative withdrawal would be a deposit that bypasses the deposit's own checks
        InvalidAmountException.requirePositive("amount", "withdrawal", amount);
        long balance = balances.getOrDefault(id, 0L);
        if (amount > balance) {
            throw new InsufficientFundsException(id, balance, amount);
        }
        balances.put(id, balance - amount);
        return balance - amount;
    }

    @GET
    @Path("/{id}")
    @ReadOnly
    public long balance(@PathParam("id") String id) {
        return balances.getOrDefault(id, 0L);
    }
}
