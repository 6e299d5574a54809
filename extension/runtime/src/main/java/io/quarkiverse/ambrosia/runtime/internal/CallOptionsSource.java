package io.quarkiverse.ambrosia.runtime.internal;

/**
 * What the caller asked for with the current call: an idempotency key, an asynchronous answer. Provided when the
 * application has Quarkus REST, from the request being served.
 */
public interface CallOptionsSource {

    /**
     * @return the options of the current call; {@link CallOptions#NONE} outside a request
     */
    CallOptions current();

    /**
     * @param idempotencyKey the key sent with the call, or {@code null}
     * @param respondAsync whether the caller asked to be answered once the call is recorded, before it runs
     */
    record CallOptions(String idempotencyKey, boolean respondAsync) {

        public static final CallOptions NONE = new CallOptions(null, false);
    }
}
