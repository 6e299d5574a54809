package io.quarkiverse.ambrosia.runtime.internal;

/**
 * The idempotency key the caller sent with the current call, if any. Provided when the application has Quarkus REST.
 */
public interface IdempotencyKeySource {

    /**
     * @return the key, or {@code null}
     */
    String currentKey();
}
