package io.quarkiverse.ambrosia.runtime.internal.log;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

import io.quarkiverse.ambrosia.ImmortalException;
import io.quarkiverse.ambrosia.ImmortalOutcomeUnknownException;
import io.quarkiverse.ambrosia.ImmortalUnavailableException;
import io.quarkiverse.ambrosia.runtime.internal.kafka.LogMetadata;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.task.TaskState;
import io.quarkiverse.ambrosia.runtime.internal.task.TaskStatus;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * Appends impulses to one partition of an immortal's log with the instance's shared, non-transactional producer, and
 * says what an append's failure means to the caller: not recorded, or perhaps recorded.
 */
public final class Appender {

    private final String immortal;
    private final String logTopic;
    private final Supplier<Producer<byte[], byte[]>> producer;
    private final Duration timeout;
    // once a call waited for the log's metadata, the next ones do not: they are refused at once without it (so they
    // may append on an I/O thread)
    private volatile boolean logMetadataAwaited;

    public Appender(String immortal, String logTopic, Supplier<Producer<byte[], byte[]>> producer, Duration timeout) {
        this.immortal = immortal;
        this.logTopic = logTopic;
        this.producer = producer;
        this.timeout = timeout;
    }

    String logTopic() {
        return logTopic;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * @return whether an append may wait for the log's metadata (the first one does), so must not run on an I/O thread
     */
    boolean mayWait() {
        return !logMetadataAwaited;
    }

    /**
     * Appends a record. Its acknowledgement sets where the call was recorded (or, if this instance is no longer the
     * immortal's, abandons it); a failure completes the call, so its caller need not wait for the append separately.
     *
     * @param partition the partition of the log it goes to
     * @param status the status of the task that runs that partition here, or {@code null} if the call's answer may come
     *        from another instance
     * @param acknowledged told the offset or the failure after that, or {@code null}
     * @throws ImmortalUnavailableException if the record is certainly not appended
     */
    Future<RecordMetadata> send(Handler handler, Envelope envelope, int partition, TaskStatus status, PendingCall call,
            BiConsumer<Long, Exception> acknowledged) {
        try {
            Producer<byte[], byte[]> appender = ready();
            return appender.send(envelope.toProducerRecord(logTopic, partition), (metadata, exception) -> {
                if (exception != null) {
                    call.completeExceptionally(new PendingCall.AppendFailed(exception));
                } else {
                    call.recordedAt(metadata.offset());
                    TaskState now = status == null ? null : status.state();
                    // recorded after this instance stopped or lost the immortal: abandoning may have passed it by
                    if (now != null && now.refusesCalls()) {
                        call.completeExceptionally(new PendingCall.Abandoned("immortal " + immortal + " is "
                                + now.display() + " on this instance (" + status.detail() + ")"));
                    }
                }
                if (acknowledged != null) {
                    acknowledged.accept(exception == null ? metadata.offset() : -1, exception);
                }
            });
        } catch (KafkaException e) {
            // send() fails before anything left the process (no metadata, record too large...)
            throw new ImmortalUnavailableException("Call to " + handler.qualifiedName + " not recorded in " + logTopic
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends an outcome query (docs/wire-format.md, "Answers across instances"), on which no call waits.
     *
     * @param what what the record is for, as its refusal names it
     * @throws ImmortalUnavailableException if the record is certainly not appended
     */
    public void sendQuery(Envelope envelope, int partition, String what, Callback acknowledged) {
        try {
            ready().send(envelope.toProducerRecord(logTopic, partition), acknowledged);
        } catch (KafkaException e) {
            throw new ImmortalUnavailableException(what + ": not recorded in " + logTopic + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the producer, once it knows the log's partitions
     * @throws KafkaException if it does not know them: nothing could be sent
     */
    private Producer<byte[], byte[]> ready() {
        Producer<byte[], byte[]> appender = producer.get();
        if (!logMetadataAwaited) {
            try {
                // the first call of this instance: the producer has not even asked for the log's metadata yet
                LogMetadata.await(appender, logTopic, System.nanoTime() + timeout.toNanos());
            } finally {
                // written once: a volatile write on every append would fence the caller's thread for nothing
                logMetadataAwaited = true;
            }
        }
        // without the partition's metadata nothing is sent: the call is certainly not recorded (a send would report
        // the same as an ambiguous timeout). Never blocks: the log is unreachable, refuse the call now
        appender.partitionsFor(logTopic);
        return appender;
    }

    /**
     * Waits up to {@code nanos} for an append's acknowledgement.
     *
     * @throws ImmortalOutcomeUnknownException if it did not come in time or the append timed out
     * @throws ImmortalUnavailableException if the append failed: the call is not recorded
     */
    RecordMetadata await(Handler handler, Future<RecordMetadata> append, long nanos) throws InterruptedException {
        try {
            return append.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timedOut(handler, e);
        } catch (ExecutionException e) {
            throw failure(handler, e.getCause());
        }
    }

    ImmortalOutcomeUnknownException timedOut(Handler handler, TimeoutException cause) {
        return new ImmortalOutcomeUnknownException("Call to " + handler.qualifiedName + ": appending to " + logTopic
                + " did not complete within " + timeout + "; it may or may not have been recorded", cause);
    }

    ImmortalException failure(Handler handler, Throwable cause) {
        if (cause instanceof BufferExhaustedException) {
            // refused by send() itself, before anything was sent (it never waits for buffer space)
            return new ImmortalUnavailableException("Call to " + handler.qualifiedName + " not recorded in " + logTopic
                    + ": the append producer's buffer (buffer.memory) is full of calls the broker has not acknowledged",
                    cause);
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new ImmortalOutcomeUnknownException("Call to " + handler.qualifiedName + ": appending to " + logTopic
                    + " timed out; it may or may not have been recorded", cause);
        }
        return new ImmortalUnavailableException("Call to " + handler.qualifiedName + " not recorded in " + logTopic
                + ": " + cause.getMessage(), cause);
    }
}
