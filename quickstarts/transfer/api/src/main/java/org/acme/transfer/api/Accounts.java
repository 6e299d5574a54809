package org.acme.transfer.api;

import io.quarkiverse.ambrosia.ImmortalInterface;
import io.smallrye.mutiny.Uni;

/**
 * The accounts service, as other services call it. Each call is recorded in the accounts immortal's log in the
 * caller's processing transaction, and answered through the caller's own log: exactly once, whatever crashes.
 */
@ImmortalInterface("Accounts")
public interface Accounts {

    /** What every account holds before its first movement. */
    long OPENING_BALANCE = 1000;

    /**
     * Takes money out of an account.
     *
     * @param transfer the id of the transfer it belongs to
     * @param amount a positive amount
     * @return the new balance; fails with {@link InsufficientFundsException} if the account holds less, and with
     *         {@link IllegalArgumentException} if the amount is not positive or the transfer was cancelled
     */
    Uni<Long> withdraw(String transfer, String account, long amount);

    /**
     * Puts money into an account. A transfer deposits only after its withdrawal succeeded.
     *
     * @return the new balance
     */
    Uni<Long> deposit(String transfer, String account, long amount);

    /**
     * Settles a transfer whose caller gave up waiting for a reply (a call that timed out was delivered and may still
     * run). Send it after the calls of the transfer: calls from one immortal reach this log in the order they were
     * sent, so whatever the transfer sent before has run when this runs. Idempotent: every repetition answers the
     * same, so a caller retries it until it is answered.
     *
     * @param transfer the id of the transfer
     * @return {@code true} if the transfer is cancelled: nothing of it stays applied (a withdrawal without its deposit
     *         was refunded); {@code false} if both its withdrawal and its deposit ran, so it is complete and stays so
     *         (undoing a deposit could take money that was moved on since)
     */
    Uni<Boolean> cancel(String transfer);
}
