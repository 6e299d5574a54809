package io.quarkiverse.ambrosia.runtime.internal.calls;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Lock;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.ImmortalCallTimeoutException;
import io.quarkiverse.ambrosia.ImmortalException;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerContext;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TopicNames;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;
import io.quarkiverse.ambrosia.runtime.internal.spi.CallScope;
import io.quarkiverse.ambrosia.runtime.internal.task.LocalImmortal;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * Replies and timeouts of this task's calls to other immortals, as its log records them: each completes its call's
 * {@code Uni}, whose continuation runs now, under the write lock, with the reply's record as the current one.
 */
public final class ReplyApplier {

    private static final Logger LOG = Logger.getLogger(ReplyApplier.class);

    private final LocalImmortal immortal;
    private final String name;
    private final String logTopic;
    private final PartitionTask task;
    private final ObjectMapper mapper;
    private final CallScope callScope;
    private final Duration timeout;

    /**
     * @param immortal the immortal handlers see as current; {@code null} in tests of the engine alone
     */
    public ReplyApplier(TopicNames names, LocalImmortal immortal, PartitionTask task, ObjectMapper mapper,
            CallScope callScope, Duration timeout) {
        this.immortal = immortal;
        this.name = names.immortal();
        this.logTopic = names.log();
        this.task = task;
        this.mapper = mapper;
        this.callScope = callScope;
        this.timeout = timeout;
    }

    public void applyReply(ConsumerRecord<byte[], byte[]> record, Envelope envelope, boolean replaying) {
        if (!task.watermarks().accept(envelope.senderId(), envelope.sequence())) {
            LOG.debugf("Immortal %s: dropped the reply at offset %d: %s's output %d was received before", name,
                    record.offset(), envelope.sender(), envelope.sequence());
            return;
        }
        Outstanding call = task.calls().answered(envelope.callId());
        if (call == null) {
            // its timeout was applied first, or the call is not this immortal's
            LOG.debugf("Immortal %s: the reply at offset %d answers no outstanding call (%s)", name, record.offset(),
                    envelope.callId());
            return;
        }
        Object value = null;
        Throwable failure = null;
        if (Envelope.OUTCOME_OK.equals(envelope.outcome())) {
            try {
                value = call.target.decodeResult(envelope.payload(), null, null);
            } catch (IOException | RuntimeException e) {
                failure = new ImmortalException("The reply of " + call.target.qualifiedName + " to call " + call.callId
                        + " (offset " + record.offset() + " of " + logTopic + ") does not decode: " + e.getMessage(), e);
            }
        } else {
            failure = StoredFailures.fromReply(mapper, envelope.payload());
        }
        complete(call, record, envelope, replaying, value, failure);
    }

    public void applyTimeout(ConsumerRecord<byte[], byte[]> record, Envelope envelope, boolean replaying) {
        Outstanding call = task.calls().answered(envelope.callId());
        if (call == null) {
            return;
        }
        complete(call, record, envelope, replaying, null, new ImmortalCallTimeoutException("Call " + call.callId + " to "
                + call.target.qualifiedName + " had no reply within " + timeout + " (timeout recorded at offset "
                + record.offset() + " of " + logTopic + "); it was delivered and may still run"));
    }

    private void complete(Outstanding call, ConsumerRecord<byte[], byte[]> record, Envelope envelope,
            boolean replaying, Object value, Throwable failure) {
        HandlerContext context = new HandlerContext(immortal, task, record.offset(), envelope.callId(),
                envelope.loggedAt(), call.principal, replaying);
        Lock lock = task.stateLock().writeLock();
        lock.lock();
        HandlerContext.enter(context);
        try {
            callScope.run(call.principal, () -> {
                if (failure != null) {
                    call.completeExceptionally(failure);
                } else {
                    call.complete(value);
                }
                return null;
            });
        } catch (Exception e) {
            LOG.errorf(e, "Immortal %s: completing call %s failed", name, call.callId);
        } finally {
            HandlerContext.exit();
            lock.unlock();
        }
    }
}
