package org.acme.transfer.transfers;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.acme.transfer.api.Accounts;
import org.acme.transfer.api.InsufficientFundsException;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * Transfers between accounts of the accounts service, which runs elsewhere. The code is failure-oblivious: it withdraws,
 * then deposits. Each call is recorded in the accounts' log exactly once, its reply in this immortal's log, and after a
 * crash of either service the transfer resumes where it was.
 */
@Immortal
@Path("/transfers")
public class Transfers {

    Map<String, Receipt> receipts = new HashMap<>();

    @Inject
    Accounts accounts;

    @POST
    @Impulse
    public Uni<Receipt> transfer(TransferRequest t) {
        if (t.amount() <= 0 || t.from().equals(t.to())) {
            throw new IllegalArgumentException("a transfer moves a positive amount between two accounts");
        }
        return accounts.withdraw(t.id(), t.from(), t.amount())
                .chain(left -> accounts.deposit(t.id(), t.to(), t.amount())
                        .map(balance -> new Receipt(t.id(), t.from(), t.to(), t.amount(), "done", left, balance)))
                .onFailure(InsufficientFundsException.class)
                .recoverWithItem(e -> new Receipt(t.id(), t.from(), t.to(), t.amount(), "refused: " + e.getMessage(),
                        null, null))
                .invoke(receipt -> receipts.put(receipt.id(), receipt));
    }

    @GET
    @Path("/{id}")
    @ReadOnly
    public Receipt receipt(@PathParam("id") String id) {
        Receipt receipt = receipts.get(id);
        if (receipt == null) {
            throw new NotFoundException("no transfer " + id);
        }
        return receipt;
    }

    @GET
    @ReadOnly
    public int count() {
        return receipts.size();
    }
}
