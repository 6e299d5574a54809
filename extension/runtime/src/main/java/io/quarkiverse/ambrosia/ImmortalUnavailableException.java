package io.quarkiverse.ambrosia;

/**
 * The call was <em>not</em> recorded in the immortal's log, so it has not run and never will: the log could not be
 * written (broker unreachable, timeout), or this application instance no longer owns the immortal (it was fenced by a
 * newer instance, or is shutting down). Retrying is safe.
 */
public class ImmortalUnavailableException extends ImmortalException {

    private static final long serialVersionUID = 1L;

    public ImmortalUnavailableException(String message) {
        super(message);
    }

    public ImmortalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
