package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import java.time.Duration;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonMappingException;

import io.quarkiverse.ambrosia.runtime.AmbrosiaConfig;

/**
 * When an immortal's next checkpoint is due, and what happens when one cannot be written: an error log line naming the
 * offset, the field and the cause, a {@link CheckpointHealth} signal, and a retry after a longer interval each time
 * (up to {@value #MAX_BACKOFF} intervals), so that a state that never encodes costs no more than checkpoints do. Owned
 * by the dispatcher thread.
 */
public final class CheckpointSchedule {

    private static final Logger LOG = Logger.getLogger(CheckpointSchedule.class);
    public static final int MAX_BACKOFF = 8;

    private final String immortal;
    private final TopicPartition log;
    private final long intervalRecords;
    private final Duration interval;
    private final CheckpointHealth health;
    // records processed since the last checkpoint or failed attempt, and when that was
    private long records;
    private long lastAttemptNanos;
    private int failedAttempts;
    private long failingSince = -1;

    public CheckpointSchedule(String immortal, TopicPartition log, AmbrosiaConfig.CheckpointConfig config,
            CheckpointHealth health) {
        this.immortal = immortal;
        this.log = log;
        this.intervalRecords = config.intervalRecords();
        this.interval = config.interval();
        this.health = health;
    }

    /**
     * A recovery restored the state of the checkpoint at that offset (0: the initial state).
     */
    public void restored(long logOffset) {
        records = 0;
        lastAttemptNanos = System.nanoTime();
        health.restoredAt(logOffset);
    }

    public void processed() {
        records++;
    }

    /**
     * @return whether a checkpoint should be taken now: after the configured interval of records or time, or, while
     *         checkpoints fail, after that interval times the back-off
     */
    public boolean due() {
        if (records == 0) {
            return false;
        }
        long backoff = backoff(failedAttempts);
        return records / backoff >= intervalRecords
                || (System.nanoTime() - lastAttemptNanos) / backoff >= interval.toNanos();
    }

    private static long backoff(int failures) {
        return failures == 0 ? 1 : Math.min(MAX_BACKOFF, 1L << Math.min(failures - 1, 30));
    }

    /**
     * The checkpoint at that log offset cannot be written: its state did not encode. The records are committed
     * without it.
     *
     * @param part what did not encode
     */
    public void failed(long logOffset, String part, Exception cause) {
        failedAttempts++;
        if (failingSince < 0) {
            failingSince = logOffset;
        }
        records = 0;
        lastAttemptNanos = System.nanoTime();
        String field = fieldPath(cause);
        String reason = cause instanceof JsonMappingException mapping ? mapping.getOriginalMessage() : cause.toString();
        health.failed(new CheckpointHealth.Failing(failingSince, logOffset, failedAttempts, field, reason));
        long backoff = backoff(failedAttempts);
        LOG.errorf(cause, "Immortal %s: the checkpoint at log offset %d of %s cannot be written: its %s does not encode%s"
                + " (%s). Processing goes on: records and their outputs are committed without a checkpoint, the log is not"
                + " trimmed, and a recovery replays from log offset %d. Failed attempt %d since log offset %d; the next"
                + " comes after %d records or %s. Find the handler that put this value into the state and make it refuse"
                + " such input, or change the field so the codec can write it; once the state encodes, the next checkpoint"
                + " succeeds", immortal, logOffset, log, part, field == null ? "" : " at field " + field, reason,
                health.checkpointOffset(), failedAttempts, failingSince,
                intervalRecords > Long.MAX_VALUE / backoff ? Long.MAX_VALUE : intervalRecords * backoff,
                interval.multipliedBy(backoff));
    }

    /**
     * A checkpoint was written at that log offset.
     */
    public void succeeded(String checkpointId, long logOffset) {
        if (failedAttempts > 0) {
            LOG.infof("Immortal %s: checkpoint %s at log offset %d of %s written; checkpoints work again after %d failed"
                    + " attempts since log offset %d", immortal, checkpointId, logOffset, log, failedAttempts, failingSince);
        }
        failedAttempts = 0;
        failingSince = -1;
        records = 0;
        lastAttemptNanos = System.nanoTime();
        health.succeeded(logOffset);
    }

    /**
     * @return the path of the field Jackson could not write ({@code balances}, {@code accounts[2].owner}), or
     *         {@code null}
     */
    public static String fieldPath(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                StringBuilder path = new StringBuilder();
                for (JsonMappingException.Reference reference : mapping.getPath()) {
                    if (reference.getFieldName() != null) {
                        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
                    } else if (reference.getIndex() >= 0) {
                        path.append('[').append(reference.getIndex()).append(']');
                    }
                }
                return path.length() == 0 ? null : path.toString();
            }
        }
        return null;
    }
}
