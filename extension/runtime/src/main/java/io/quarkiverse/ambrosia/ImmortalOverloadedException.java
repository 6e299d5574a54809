package io.quarkiverse.ambrosia;

/**
 * Too many calls are waiting for this immortal ({@code quarkus.ambrosia.max-in-flight}); this one was <em>not</em>
 * recorded. Retry later: over HTTP it is answered with {@code 429 Too Many Requests} and {@code Retry-After}.
 */
public class ImmortalOverloadedException extends ImmortalUnavailableException {

    private static final long serialVersionUID = 1L;

    public ImmortalOverloadedException(String message) {
        super(message);
    }
}
