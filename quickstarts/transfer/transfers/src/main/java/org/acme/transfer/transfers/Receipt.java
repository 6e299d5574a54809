package org.acme.transfer.transfers;

/**
 * The outcome of a transfer.
 *
 * @param status {@code done} when both legs were applied, once each; {@code refused: <reason>} when nothing of the
 *        transfer is applied (the money could not be withdrawn, or the transfer was cancelled after the accounts did
 *        not answer in time); while it runs, {@code pending}, or {@code compensating: <reason>} while its cancellation
 *        waits for the accounts
 * @param fromBalance the balance of the debited account after the transfer, when done and its replies came in time
 * @param toBalance the balance of the credited account after the transfer, when done and its replies came in time
 */
public record Receipt(String id, String from, String to, long amount, String status, Long fromBalance, Long toBalance) {
}
