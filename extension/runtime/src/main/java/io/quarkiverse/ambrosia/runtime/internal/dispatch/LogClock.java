package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.RecordBatch;

import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * The logged time of the records an immortal runs, which {@code Immortals.now()} returns and idempotency keys expire
 * by. A writer chooses a record's {@code logged-at}, so it is taken only within {@code max-clock-skew} of the record's
 * broker timestamp (the append time on the log topics the extension creates), and never earlier than the previous
 * record's: a forged time can move the clock ahead by the skew at most, and never back.
 * <p>
 * The previous time is part of the checkpointed system state, so a replay stamps every record the same.
 */
public final class LogClock {

    // the logged time of the last record run, or 0 before the first
    private long last;

    /**
     * Advances the clock to a record about to run.
     *
     * @param maxSkewMillis how far the record's {@code logged-at} may be from its broker timestamp
     * @return the envelope, with its logged time replaced if that is outside the skew or before the previous record's
     */
    public Envelope stamp(ConsumerRecord<byte[], byte[]> record, Envelope envelope, long maxSkewMillis) {
        long loggedAt = advance(envelope.loggedAt(), record.timestamp(), maxSkewMillis);
        return loggedAt == envelope.loggedAt() ? envelope : envelope.withLoggedAt(loggedAt);
    }

    /**
     * @param brokerTimestamp the record's timestamp, or {@link RecordBatch#NO_TIMESTAMP}
     * @return the logged time of the record
     */
    public long advance(long loggedAt, long brokerTimestamp, long maxSkewMillis) {
        long time = loggedAt;
        if (brokerTimestamp != RecordBatch.NO_TIMESTAMP) {
            long latest = maxSkewMillis > Long.MAX_VALUE - brokerTimestamp
                    ? Long.MAX_VALUE
                    : brokerTimestamp + maxSkewMillis;
            time = Math.max(brokerTimestamp - maxSkewMillis, Math.min(latest, time));
        }
        time = Math.max(last, time);
        last = time;
        return time;
    }

    public long last() {
        return last;
    }

    public void restore(long last) {
        this.last = last;
    }
}
