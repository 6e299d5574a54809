package io.quarkiverse.ambrosia.runtime.internal.recovery;

/**
 * Recovery is impossible without intervention: retrying would not help.
 */
public final class RecoveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RecoveryException(String message) {
        super(message);
    }
}
