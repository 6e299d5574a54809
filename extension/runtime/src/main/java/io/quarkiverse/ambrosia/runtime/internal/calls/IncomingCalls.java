package io.quarkiverse.ambrosia.runtime.internal.calls;

import java.util.concurrent.locks.Lock;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.ImmortalException;
import io.quarkiverse.ambrosia.UnknownImmortalException;
import io.quarkiverse.ambrosia.runtime.internal.commit.Output;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerContext;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerInvoker;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TopicNames;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalType;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;
import io.quarkiverse.ambrosia.runtime.internal.task.LocalImmortal;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * Calls from other immortals: a call is run once (a duplicate, at or below its sender's watermark, is dropped), and
 * its reply is queued for the caller's log in this task's next transaction.
 */
public final class IncomingCalls {

    private static final Logger LOG = Logger.getLogger(IncomingCalls.class);

    private final ImmortalType type;
    private final LocalImmortal immortal;
    private final String name;
    private final String logTopic;
    private final PartitionTask task;
    private final HandlerInvoker invoker;
    private final ObjectMapper mapper;

    /**
     * @param immortal the immortal handlers see as current; {@code null} in tests of the engine alone
     */
    public IncomingCalls(ImmortalType type, TopicNames names, LocalImmortal immortal, PartitionTask task,
            HandlerInvoker invoker, ObjectMapper mapper) {
        this.type = type;
        this.immortal = immortal;
        this.name = type.name();
        this.logTopic = names.log();
        this.task = task;
        this.invoker = invoker;
        this.mapper = mapper;
    }

    public void run(ConsumerRecord<byte[], byte[]> record, Envelope envelope, boolean replaying) {
        if (!task.watermarks().accept(envelope.senderId(), envelope.sequence())) {
            LOG.debugf("Immortal %s: dropped the call at offset %d: %s's output %d was received before", name,
                    record.offset(), envelope.sender(), envelope.sequence());
            return;
        }
        Handler handler = type.handlerForTarget(envelope.target());
        if (handler == null || handler.readOnly()) {
            String reason = "immortal " + name + " has no " + (handler == null ? "" : "logged ") + "method matching '"
                    + envelope.target() + "'";
            LOG.warnf("Immortal %s: rejected the call at offset %d of %s from %s: %s", name, record.offset(), logTopic,
                    envelope.sender(), reason);
            reply(envelope, record.offset(), null, null, new UnknownImmortalException(reason));
            return;
        }
        Object[] arguments;
        try {
            arguments = handler.decodeArguments(envelope.payload());
        } catch (IllegalArgumentException e) {
            LOG.warnf("Immortal %s: rejected the call at offset %d of %s from %s: %s", name, record.offset(), logTopic,
                    envelope.sender(), e.getMessage());
            reply(envelope, record.offset(), null, null, e);
            return;
        }
        String keyProblem = type.keyProblem(envelope.key(), record.partition(), handler, arguments);
        if (keyProblem != null) {
            LOG.warnf("Immortal %s: rejected the call at offset %d of %s from %s: %s", name, record.offset(), logTopic,
                    envelope.sender(), keyProblem);
            reply(envelope, record.offset(), null, null, new IllegalArgumentException(keyProblem));
            return;
        }
        HandlerContext context = new HandlerContext(immortal, task, record.offset(), envelope.callId(),
                envelope.loggedAt(), envelope.principal(), replaying);
        Lock lock = task.stateLock().writeLock();
        lock.lock();
        try {
            invoker.invoke(context, handler, task.instanceFor(envelope.key()), arguments, envelope.principal(),
                    (result, failure) -> reply(envelope, record.offset(), handler, result, failure));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues the reply to a call (nothing for a fork) as an output of the current transaction.
     */
    private void reply(Envelope call, long callOffset, Handler handler, Object result, Throwable failure) {
        if (call.replyTo() == null) {
            if (failure != null) {
                LOG.debugf("Immortal %s: the fork %s from %s threw %s", name, call.target(), call.sender(), failure);
            }
            return;
        }
        byte[] payload = null;
        if (failure == null) {
            try {
                payload = handler.encodeResult(result).json();
            } catch (Exception e) {
                failure = new ImmortalException("The result of " + handler.qualifiedName + " cannot be serialized to"
                        + " JSON: " + e.getMessage(), e);
            }
        }
        long sequence = task.outbox().allocateSequence();
        // stamped with the time it is sent: only the receiver's state depends on it, through its own log
        long now = System.currentTimeMillis();
        Envelope reply = failure == null
                ? Envelope.reply(call.sender(), call.callId(), now, payload, name, sequence)
                : Envelope.failedReply(call.sender(), call.callId(), now, StoredFailures.toReply(mapper, failure), name,
                        sequence);
        if (type.keyed()) {
            reply = reply.withSenderPartition(task.partition());
        }
        // to the partition of the caller's log whose task made the call
        task.outbox().add(new Output(sequence, call.replyTo(), call.replyPartition(), reply, null, callOffset));
    }
}
