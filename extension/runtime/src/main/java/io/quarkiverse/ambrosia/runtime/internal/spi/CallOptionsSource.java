package io.quarkiverse.ambrosia.runtime.internal.spi;

import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * What the caller asked for with the current call: an idempotency key, an asynchronous answer. Provided when the
 * application has Quarkus REST, from the request being served.
 */
public interface CallOptionsSource {

    /**
     * @return the options of the current call; {@link CallOptions#NONE} outside a request
     */
    public CallOptions current();

    /**
     * @return where the continuation of an asynchronous call made on this thread runs, or {@code null} for a worker
     *         thread
     */
    default Executor continuation() {
        return null;
    }

    /**
     * @param idempotencyKey the key sent with the call, or {@code null}
     * @param respondAsync whether the caller asked to be answered once the call is recorded, before it runs
     * @param minOffset for a read, the log offset the state read must include (the caller's own earlier call), or -1
     * @param recorded tells the caller being served where its call was recorded, so it can later read state that
     *        includes it
     */
    public record CallOptions(String idempotencyKey, boolean respondAsync, long minOffset, LongConsumer recorded) {

        public static final CallOptions NONE = new CallOptions(null, false, -1, offset -> {
        });

        public CallOptions withoutRespondAsync() {
            return new CallOptions(idempotencyKey, false, minOffset, recorded);
        }
    }
}
