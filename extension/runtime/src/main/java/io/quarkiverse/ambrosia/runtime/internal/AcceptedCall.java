package io.quarkiverse.ambrosia.runtime.internal;

/**
 * Ends a call the caller asked to be answered for as soon as it is recorded: over HTTP, {@code 202 Accepted} with the
 * location of its outcome.
 */
public final class AcceptedCall extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String immortal;
    private final String key;
    private final long offset;

    AcceptedCall(String immortal, String key, long offset) {
        super("accepted at offset " + offset, null, false, false);
        this.immortal = immortal;
        this.key = key;
        this.offset = offset;
    }

    public String immortal() {
        return immortal;
    }

    public String key() {
        return key;
    }

    public long offset() {
        return offset;
    }
}
