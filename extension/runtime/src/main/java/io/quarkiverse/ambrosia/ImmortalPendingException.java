package io.quarkiverse.ambrosia;

/**
 * The call <em>was</em> recorded in the immortal's log, at the offset this exception names, but its result is not
 * available to this caller: it did not arrive within {@code quarkus.ambrosia.call-timeout}, or this application
 * instance stopped or lost ownership of the immortal before running it. The call will still run, exactly once (at
 * the latest when the immortal recovers); do not retry it blindly, or it runs twice.
 */
public class ImmortalPendingException extends ImmortalException {

    private static final long serialVersionUID = 1L;

    private final long offset;

    public ImmortalPendingException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /**
     * @return the offset of the call's record in the immortal's log
     */
    public long offset() {
        return offset;
    }
}
