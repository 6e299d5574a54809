package io.quarkiverse.ambrosia;

/**
 * A call from one immortal to another had no reply within {@code quarkus.ambrosia.calls.timeout}. The timeout was
 * recorded in the caller's log, so a replay fails the call at the same point. The call itself was sent exactly once
 * and may still run: treat its outcome as unknown (the callee may have applied it).
 */
public class ImmortalCallTimeoutException extends ImmortalException {

    private static final long serialVersionUID = 1L;

    public ImmortalCallTimeoutException(String message) {
        super(message);
    }
}
