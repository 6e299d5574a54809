package io.quarkiverse.ambrosia.runtime.internal.answer;

/**
 * Ends a keyed call that is recorded but answered before it ran, because the caller asked so or because it did not
 * finish within the call timeout: over HTTP, {@code 202 Accepted} with the location of its outcome.
 */
public final class AcceptedCall extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String immortal;
    private final String key;
    private final long offset;
    private final boolean asked;

    public AcceptedCall(String immortal, String key, long offset, boolean asked) {
        super("accepted at offset " + offset, null, false, false);
        this.immortal = immortal;
        this.key = key;
        this.offset = offset;
        this.asked = asked;
    }

    /**
     * @return whether the caller asked for it ({@code Prefer: respond-async}), rather than the call not finishing
     *         within the call timeout
     */
    public boolean asked() {
        return asked;
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
