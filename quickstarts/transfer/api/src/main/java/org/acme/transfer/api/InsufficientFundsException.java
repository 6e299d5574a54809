package org.acme.transfer.api;

/**
 * A withdrawal larger than the balance. Shared by both services, so the caller gets it back as this type.
 */
public class InsufficientFundsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InsufficientFundsException(String message) {
        super(message);
    }
}
