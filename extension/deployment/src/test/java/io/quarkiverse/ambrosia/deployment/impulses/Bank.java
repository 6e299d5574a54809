package io.quarkiverse.ambrosia.deployment.impulses;

import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Immortals;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;

@Immortal
@Path("/accounts")
public class Bank {

    Map<String, Long> balances = new TreeMap<>();
    Map<String, String> lastDepositor = new TreeMap<>();

    @POST
    @Path("/{id}/deposit")
    @Impulse
    public long deposit(@PathParam("id") String id, long amount) {
        lastDepositor.put(id, Immortals.principal().orElse("anonymous"));
        return balances.merge(id, amount, Long::sum);
    }

    @POST
    @Path("/{id}/withdraw")
    @Impulse
    @RolesAllowed("teller")
    public long withdraw(@PathParam("id") String id, long amount) {
        long balance = balances.getOrDefault(id, 0L);
        if (amount > balance) {
            throw new IllegalStateException("insufficient funds: " + balance + " < " + amount);
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

    @GET
    @Path("/{id}/depositor")
    @ReadOnly
    public String depositor(@PathParam("id") String id) {
        return lastDepositor.getOrDefault(id, "");
    }
}
