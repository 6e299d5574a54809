package org.acme.transfer.transfers;

/**
 * A transfer request that cannot be carried out as asked. Thrown before anything is sent or changed.
 */
public class InvalidTransferException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidTransferException(String field, String message) {
        super(message);
        this.field = field;
    }

    /**
     * @return the request field the problem is about
     */
    public String field() {
        return field;
    }
}
