package org.acme.transfer.transfers;

/**
 * A transfer a client asks for; its id is chosen by the client.
 */
public record TransferRequest(String id, String from, String to, long amount) {

    /**
     * @return a receipt of this transfer
     */
    Receipt receipt(String status, Long fromBalance, Long toBalance) {
        return new Receipt(id, from, to, amount, status, fromBalance, toBalance);
    }
}
