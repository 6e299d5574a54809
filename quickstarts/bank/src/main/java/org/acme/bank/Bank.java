package org.acme.bank;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.Key;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * A bank whose accounts survive any crash: a keyed immortal, one account per id, spread over the 4 partitions of its
 * log and over every instance of the application. Each {@code @Impulse} is a REST endpoint: the request is recorded in
 * Kafka, then run by the instance that owns the account's partition, then answered by whichever instance took it.
 */
@Immortal(partitions = 4)
@Path("/accounts")
public class Bank {

    // the state of one account
    long balance;

    @POST
    @Path("/{id}/deposit")
    @Impulse
    public long deposit(@Key @PathParam("id") String id, long amount) {
        // checked before anything changes, so a refused call leaves the state as it was
        InvalidAmountException.requirePositive("amount", "deposit", amount);
        balance += amount;
        return balance;
    }

    @POST
    @Path("/{id}/withdraw")
    @Impulse
    public long withdraw(@Key @PathParam("id") String id, long amount) {
        // a negative withdrawal would be a deposit that bypasses the deposit's own checks
        InvalidAmountException.requirePositive("amount", "withdrawal", amount);
        if (amount > balance) {
            throw new InsufficientFundsException(id, balance, amount);
        }
        balance -= amount;
        return balance;
    }

    @GET
    @Path("/{id}")
    @ReadOnly
    public long balance(@Key @PathParam("id") String id) {
        return balance;
    }
}
