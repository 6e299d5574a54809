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
     * @return the new balance; fails with {@link InsufficientFundsException} if the account holds less
     */
    Uni<Long> withdraw(String transfer, String account, long amount);

    /**
     * Puts money into an account.
     *
     * @return the new balance
     */
    Uni<Long> deposit(String transfer, String account, long amount);
}
