package io.quarkiverse.ambrosia;

/**
 * Appending the call to the immortal's log timed out: it may or may not have been recorded, so it may or may not run.
 * Retrying may run it twice; check the state first, or make the call idempotent.
 */
public class ImmortalOutcomeUnknownException extends ImmortalException {

    private static final long serialVersionUID = 1L;

    public ImmortalOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
