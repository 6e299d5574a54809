package org.acme.transfer.transfers;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.acme.transfer.api.Accounts;
import org.acme.transfer.api.InsufficientFundsException;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ImmortalCallTimeoutException;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * Transfers between accounts of the accounts service, which runs elsewhere. The code is failure-oblivious: it withdraws,
 * then deposits. Each call is recorded in the accounts' log exactly once, its reply in this immortal's log, and after a
 * crash of either service the transfer resumes where it was.
 * <p>
 * What a crash cannot cause, an outage longer than {@code quarkus.ambrosia.calls.timeout} can: a call that times out.
 * It was delivered and may still run, so the transfer is compensated rather than left half-applied. Each account is
 * a key of the accounts immortal, and calls to one account run in the order they were sent: {@code cancelDeposit}
 * to the destination runs after the deposit (if one was sent) and says whether it ran; if it did not (it never will
 * now), {@code refund} to the source runs after the withdrawal and undoes it. Each is retried until it is answered.
 * Every transfer thus ends done (both legs applied once) or refused (nothing applied).
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
        // checked before anything is sent or changed, so a refused request leaves everything as it was
        requirePresent("id", t.id());
        requirePresent("from", t.from());
        requirePresent("to", t.to());
        if (t.amount() <= 0) {
            throw new InvalidTransferException("amount", "the amount of a transfer must be positive, not " + t.amount());
        }
        if (t.from().equals(t.to())) {
            throw new InvalidTransferException("to", "a transfer moves money between two accounts, not from "
                    + t.from() + " to itself");
        }
        if (receipts.containsKey(t.id())) {
            // the accounts' journal is kept by transfer id; a retry of the same request uses its Idempotency-Key
            throw new InvalidTransferException("id", "transfer " + t.id() + " exists already; use a new id");
        }
        receipts.put(t.id(), t.receipt("pending", null, null));
        return accounts.withdraw(t.id(), t.from(), t.amount())
                .chain(left -> accounts.deposit(t.id(), t.to(), t.amount())
                        .map(balance -> t.receipt("done", left, balance)))
                .onFailure(InsufficientFundsException.class)
                .recoverWithItem(e -> t.receipt("refused: " + e.getMessage(), null, null))
                // a timeout (or any other failure) leaves the outcome of the calls unknown: settle it with the accounts
                .onFailure().recoverWithUni(e -> compensate(t, e))
                .invoke(receipt -> receipts.put(receipt.id(), receipt));
    }

    private static void requirePresent(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidTransferException(field, "a transfer needs its " + field);
        }
    }

    private Uni<Receipt> compensate(TransferRequest t, Throwable failure) {
        String reason = failure instanceof ImmortalCallTimeoutException
                ? "the accounts did not answer in time"
                : failure.getMessage();
        receipts.put(t.id(), t.receipt("compensating: " + reason, null, null));
        return untilAnswered(() -> accounts.cancelDeposit(t.id(), t.to()))
                .chain(deposited -> deposited
                        // both legs had run: only their replies were lost
                        ? Uni.createFrom().item(t.receipt("done", null, null))
                        : untilAnswered(() -> accounts.refund(t.id(), t.from()))
                                .map(balance -> t.receipt("refused: cancelled, " + reason, null, null)));
    }

    /**
     * Sends a settling call again each time it times out: repetitions queue behind the first in the account's
     * partition, all answer the same, and the reply to the last one ends the wait.
     */
    private static <T> Uni<T> untilAnswered(Supplier<Uni<T>> call) {
        return call.get().onFailure(ImmortalCallTimeoutException.class).recoverWithUni(e -> untilAnswered(call));
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
