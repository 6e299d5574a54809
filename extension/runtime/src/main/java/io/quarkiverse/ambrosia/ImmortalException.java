package io.quarkiverse.ambrosia;

/**
 * Base class of the errors the extension reports to a caller of an {@link Immortal}. Exceptions thrown by a handler
 * itself reach the caller unchanged.
 */
public class ImmortalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ImmortalException(String message) {
        super(message);
    }

    public ImmortalException(String message, Throwable cause) {
        super(message, cause);
    }
}
