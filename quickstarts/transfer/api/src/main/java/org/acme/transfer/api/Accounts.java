package org.acme.transfer.api;

import io.quarkiverse.ambrosia.ImmortalInterface;
import io.quarkiverse.ambrosia.Key;
import io.smallrye.mutiny.Uni;

/**
 * The accounts service, as other services call it: one account per key, spread over the accounts service's
 * partitions and instances. Each call is recorded in the partition of its account's key in the accounts immortal's
 * log, in the caller's processing transaction, and answered through the caller's own log: exactly once, whatever
 * crashes, whichever instance runs the account.
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
     *         {@link IllegalArgumentException} if the amount is not positive or the transfer was cancelled here
     */
    Uni<Long> withdraw(String transfer, @Key String account, long amount);

    /**
     * Puts money into an account. A transfer deposits only after its withdrawal succeeded.
     *
     * @return the new balance; fails with {@link IllegalArgumentException} if the transfer was cancelled here
     */
    Uni<Long> deposit(String transfer, @Key String account, long amount);

    /**
     * Settles the deposit side of a transfer whose caller gave up waiting for a reply (a call that timed out was
     * delivered and may still run): refuses the transfer's deposit into this account from now on. Send it after the
     * transfer's deposit, if one was sent: calls from one immortal to one account run in the order they were sent, so
     * the deposit has run (or been refused) when this runs. Idempotent.
     *
     * @return {@code true} if the deposit ran: the transfer is complete and stays so (undoing a deposit could take
     *         money that was moved on since); {@code false} if it did not and never will
     */
    Uni<Boolean> cancelDeposit(String transfer, @Key String account);

    /**
     * Settles the withdrawal side of a cancelled transfer: refunds its withdrawal from this account, if one ran, and
     * refuses one that might still come. Send it after the transfer's withdrawal, and only once
     * {@link #cancelDeposit} said the deposit did not run. Idempotent.
     *
     * @return the balance after the refund, if any
     */
    Uni<Long> refund(String transfer, @Key String account);
}
