package io.quarkiverse.ambrosia.runtime.internal.log;

import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.spi.CallOptionsSource;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * A call as its caller makes it, before anything is recorded.
 *
 * @param key the idempotency key, or {@code null}
 * @param immortalKey the {@code @Key} argument's text for a keyed immortal (the record key), or {@code null}
 * @param partition the partition of the log the call is appended to
 * @param replyTo this instance's answer topic, where another instance running the partition sends the answer; or
 *        {@code null} (a singleton immortal, run here)
 */
record Request(Handler handler, CallOptionsSource.CallOptions options, String callId, String key, String target,
        byte[] payload, String principal, String immortalKey, int partition, String replyTo) {

    /** @return what identifies the request for its key */
    String hash() {
        return Envelope.requestHash(target, payload);
    }

    /** Tells the REST request the call serves where it was recorded (for its answer's offset header). */
    void recorded(long offset) {
        if (handler.definition.isEndpoint() && offset >= 0) {
            options.recorded().accept(offset);
        }
    }

    /** @return the impulse to append, stamped with the time it is sent */
    Envelope impulse() {
        Envelope impulse = Envelope.impulse(target, callId, System.currentTimeMillis(), principal, key, payload);
        if (immortalKey != null) {
            impulse = impulse.withKey(immortalKey);
        }
        return replyTo == null ? impulse : impulse.withReplyTo(replyTo);
    }
}
