package io.quarkiverse.ambrosia.it;

import java.util.Map;
import java.util.TreeMap;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Immortals;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * Accounts behind REST impulses, whose log the fuzz test also fills with foreign records. Its state is sorted (a
 * {@code TreeMap}, whose type a restore must keep) and records the times its handlers saw.
 */
@Immortal
@Path("/wallet")
@Produces(MediaType.APPLICATION_JSON)
public class Wallet {

    Map<String, Long> balances = new TreeMap<>();
    long operations;
    // the latest Immortals.now() seen, and whether it ever went backwards
    long lastNow;
    boolean timeWentBack;

    @POST
    @Path("/{id}/deposit")
    @Impulse
    public long deposit(@PathParam("id") String id, long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("a deposit must be positive, not " + amount);
        }
        observeTime();
        return balances.merge(id, amount, Long::sum);
    }

    @POST
    @Path("/{id}/withdraw")
    @Impulse
    public long withdraw(@PathParam("id") String id, long amount) {
        long balance = balances.getOrDefault(id, 0L);
        if (amount <= 0 || amount > balance) {
            throw new IllegalArgumentException("cannot withdraw " + amount + " from " + id + " holding " + balance);
        }
        observeTime();
        balances.put(id, balance - amount);
        return balance - amount;
    }

    @GET
    @ReadOnly
    public Snapshot snapshot() {
        // iterated in the map's own order: a restore that changed its type would change this answer
        return new Snapshot(String.join(",", balances.keySet()), balances, operations, timeWentBack);
    }

    private void observeTime() {
        operations++;
        long now = Immortals.now().toEpochMilli();
        if (now < lastNow) {
            timeWentBack = true;
        }
        lastNow = now;
    }

    public record Snapshot(String order, Map<String, Long> balances, long operations, boolean timeWentBack) {
    }
}
