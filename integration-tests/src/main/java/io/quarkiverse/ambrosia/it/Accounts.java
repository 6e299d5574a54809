package io.quarkiverse.ambrosia.it;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.Key;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * A keyed immortal: one account per id over six partitions, with transfers between accounts as calls between keys.
 */
@Immortal(partitions = 6)
@Path("/keyed")
public class Accounts {

    long balance;
    long operations;

    @Inject
    Accounts accounts;

    @POST
    @Path("/{id}/deposit/{amount}")
    @Impulse
    public long deposit(@Key @PathParam("id") String id, @PathParam("amount") long amount) {
        balance += amount;
        operations++;
        return balance;
    }

    @POST
    @Path("/{id}/withdraw/{amount}")
    @Impulse
    public long withdraw(@Key @PathParam("id") String id, @PathParam("amount") long amount) {
        if (amount > balance) {
            throw new IllegalArgumentException("account " + id + " holds " + balance + ", less than " + amount);
        }
        balance -= amount;
        operations++;
        return balance;
    }

    @POST
    @Path("/{id}/transfer/{to}/{amount}")
    @Impulse
    public Uni<Long> transfer(@Key @PathParam("id") String id, @PathParam("to") String to,
            @PathParam("amount") long amount) {
        if (amount > balance) {
            return Uni.createFrom().item(balance);
        }
        balance -= amount;
        operations++;
        return accounts.credit(to, amount).map(credited -> balance);
    }

    public Uni<Long> credit(@Key String id, long amount) {
        balance += amount;
        operations++;
        return Uni.createFrom().item(balance);
    }

    @GET
    @Path("/{id}")
    @ReadOnly
    public String get(@Key @PathParam("id") String id) {
        return balance + "/" + operations;
    }
}
