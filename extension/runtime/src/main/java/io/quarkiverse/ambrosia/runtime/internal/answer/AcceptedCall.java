package io.quarkiverse.ambrosia.runtime.internal.answer;

/**
 * Ends a keyed call that is recorded but answered before it ran, because the caller asked so or because it did not
 * finish within the call timeout: over HTTP, {@code 202 Accepted} with the location of its outcome.
 */
public final class AcceptedCall extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String immortal;
    private final String key;
    private final int partition;
    private final long offset;
    private final boolean asked;

    /**
     * @param partition the partition of the log whose task keeps the outcome
     */
    public AcceptedCall(String immortal, String key, int partition, long offset, boolean asked) {
        super("accepted at offset " + offset, null, false, false);
        this.immortal = immortal;
        this.key = key;
        this.partition = partition;
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

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}
