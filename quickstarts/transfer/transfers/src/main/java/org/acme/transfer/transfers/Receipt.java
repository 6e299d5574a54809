package org.acme.transfer.transfers;

/**
 * The outcome of a transfer.
 *
 * @param status {@code done}, or {@code refused: <reason>} when the money could not be withdrawn
 * @param fromBalance the balance of the debited account after the transfer, when done
 * @param toBalance the balance of the credited account after the transfer, when done
 */
public record Receipt(String id, String from, String to, long amount, String status, Long fromBalance, Long toBalance) {
}
