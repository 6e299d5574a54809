package io.quarkiverse.ambrosia.deployment.keyed;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Immortals;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.Key;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * A keyed immortal: one account per id, over four partitions.
 */
@Immortal(partitions = 4)
@Path("/accounts")
public class Accounts {

    long balance;
    // the offsets of the records this key ran: a key's state starts fresh, and no key sees another's records
    List<Long> offsets = new ArrayList<>();

    @Inject
    Accounts accounts;

    @POST
    @Path("/{id}/deposit")
    @Impulse
    public long deposit(@Key @PathParam("id") String id, long amount) {
        balance += amount;
        offsets.add(Immortals.offset());
        return balance;
    }

    @GET
    @Path("/{id}")
    @ReadOnly
    public long balance(@Key @PathParam("id") String id) {
        return balance;
    }

    @ReadOnly
    public List<Long> offsets(@Key String id) {
        return List.copyOf(offsets);
    }

    /** Withdraws here, then credits the other key through the proxy: a call between two keys, exactly once. */
    @POST
    @Path("/{id}/transfer/{to}")
    @Impulse
    public Uni<Long> transfer(@Key @PathParam("id") String id, @PathParam("to") String to, long amount) {
        balance -= amount;
        offsets.add(Immortals.offset());
        return accounts.credit(to, amount).map(credited -> balance);
    }

    public Uni<Long> credit(@Key String id, long amount) {
        balance += amount;
        offsets.add(Immortals.offset());
        return Uni.createFrom().item(balance);
    }
}
