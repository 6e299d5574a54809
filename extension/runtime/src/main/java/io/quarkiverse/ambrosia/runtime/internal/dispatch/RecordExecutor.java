package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import java.time.Duration;
import java.util.concurrent.locks.Lock;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.quarkiverse.ambrosia.ImmortalException;
import io.quarkiverse.ambrosia.runtime.internal.answer.Answer;
import io.quarkiverse.ambrosia.runtime.internal.answer.Answers;
import io.quarkiverse.ambrosia.runtime.internal.answer.ImpulseTable;
import io.quarkiverse.ambrosia.runtime.internal.answer.Outcomes;
import io.quarkiverse.ambrosia.runtime.internal.answer.RunningKeys;
import io.quarkiverse.ambrosia.runtime.internal.calls.IncomingCalls;
import io.quarkiverse.ambrosia.runtime.internal.calls.ReplyApplier;
import io.quarkiverse.ambrosia.runtime.internal.log.PendingCall;
import io.quarkiverse.ambrosia.runtime.internal.log.PendingCalls;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalType;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;
import io.quarkiverse.ambrosia.runtime.internal.task.LocalImmortal;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.quarkiverse.ambrosia.runtime.internal.wire.Kind;

/**
 * The execute stage: runs one admitted log record on the dispatcher thread. An impulse runs its handler here (and its
 * outcome is kept with its idempotency key); a call from another immortal, a reply or a timeout goes to the calls
 * stage. Never throws for a bad record or a failing handler: both outcomes are deterministic, so a replay reaches the
 * same state.
 */
public final class RecordExecutor {

    private static final Logger LOG = Logger.getLogger(RecordExecutor.class);
    // the value of an answer that carries no outcome (running, unknown)
    private static final Answer NO_OUTCOME = new Answer(-1, null, null, null, null, null, null);

    private final LocalImmortal immortal;
    private final ImmortalType type;
    private final PartitionTask task;
    private final PendingCalls pending;
    private final Outcomes outcomes;
    private final HandlerInvoker invoker;
    private final IncomingCalls incoming;
    private final ReplyApplier replies;
    private final Duration retention;
    private final int maxKeys;
    private Answers answers;
    private long answerWindowMillis;

    /**
     * @param immortal the immortal handlers see as current ({@link HandlerContext#immortal()}); {@code null} in tests
     *        of the engine alone
     */
    public RecordExecutor(ImmortalType type, LocalImmortal immortal, PartitionTask task, PendingCalls pending,
            Outcomes outcomes, HandlerInvoker invoker, IncomingCalls incoming, ReplyApplier replies, Duration retention,
            int maxKeys) {
        this.immortal = immortal;
        this.type = type;
        this.task = task;
        this.pending = pending;
        this.outcomes = outcomes;
        this.invoker = invoker;
        this.incoming = incoming;
        this.replies = replies;
        this.retention = retention;
        this.maxKeys = maxKeys;
    }

    /**
     * Sends the answers of impulses and outcome queries recorded by other instances (their {@code reply-to}) through
     * {@code answers}; while replaying, only of records logged less than {@code window} ago (their callers wait no
     * longer).
     */
    public RecordExecutor answering(Answers sender, Duration window) {
        this.answers = sender;
        this.answerWindowMillis = window.toMillis();
        return this;
    }

    public void execute(ConsumerRecord<byte[], byte[]> record, Envelope envelope, boolean replaying) {
        switch (envelope.kind()) {
            case IMPULSE -> runImpulse(record, envelope, replaying);
            case CALL -> incoming.run(record, envelope, replaying);
            case REPLY -> replies.applyReply(record, envelope, replaying);
            case TIMEOUT -> replies.applyTimeout(record, envelope, replaying);
            case OUTCOME -> answerQuery(record, envelope, replaying);
            default -> throw new IllegalStateException("the dispatcher handles " + envelope.kind() + " records itself");
        }
    }

    private void runImpulse(ConsumerRecord<byte[], byte[]> record, Envelope envelope, boolean replaying) {
        Handler handler = type.handlerForTarget(envelope.target());
        if (handler == null) {
            reject(record, envelope, "no method of immortal " + type.name() + " matches target '" + envelope.target()
                    + "'");
            return;
        }
        Object[] arguments;
        try {
            arguments = handler.decodeArguments(envelope.payload());
        } catch (IllegalArgumentException e) {
            reject(record, envelope, e.getMessage());
            return;
        }
        String keyProblem = type.keyProblem(envelope.key(), record.partition(), handler, arguments);
        if (keyProblem != null) {
            reject(record, envelope, keyProblem);
            return;
        }
        String key = envelope.idempotencyKey();
        String requestHash = key == null ? null : Envelope.requestHash(envelope.target(), envelope.payload());
        HandlerContext context = new HandlerContext(immortal, task, record.offset(), envelope.callId(),
                envelope.loggedAt(), envelope.principal(), replaying);
        ImpulseTable table = task.impulses();
        ImpulseTable.Entry done = null;
        // the outcome table changes only here, on the dispatcher, under the write lock
        Lock lock = task.stateLock().writeLock();
        lock.lock();
        try {
            if (table.size() > 0) {
                table.expire(envelope.loggedAt(), retention.toMillis(), maxKeys);
            }
            done = key == null ? null : table.get(key);
            if (done == null) {
                RunningKeys running = task.runningKeys();
                // a retry of a call whose handler still waits for a reply: answered when that one completes
                if (key == null || !running.retryIfRunning(key,
                        new RunningKeys.Retry(envelope.callId(), record.offset(), requestHash,
                                envelope.replyTo()))) {
                    if (key != null) {
                        running.started(key);
                    }
                    invoker.invoke(context, handler, task.instanceFor(envelope.key()), arguments, envelope.principal(),
                            (result, failure) -> finishImpulse(handler, envelope, record.offset(), key, requestHash,
                                    result, failure, replaying));
                }
            }
        } finally {
            lock.unlock();
        }
        task.status().processed(record.offset());
        if (done != null) {
            // a retry recorded before the first attempt's outcome was known: not run again
            outcomes.stored(key);
            answerFromTable(handler, envelope, envelope.callId(), record.offset(), done, requestHash, replaying);
        }
    }

    /**
     * Hands an impulse's outcome to its caller, and keeps it with its key: on the dispatcher, when the handler
     * returned, or when its {@code Uni} completed.
     */
    private void finishImpulse(Handler handler, Envelope envelope, long offset, String key, String requestHash,
            Object result, Throwable failure, boolean replaying) {
        if (key != null) {
            ImpulseTable.Entry entry = entry(handler, key, requestHash, offset, envelope, result, failure);
            task.impulses().put(entry);
            outcomes.stored(key);
            for (RunningKeys.Retry retry : task.runningKeys().finished(key)) {
                if (retry.query()) {
                    answerQueryFromTable(envelope.withReplyTo(retry.replyTo()), retry.callId(), entry, replaying);
                    continue;
                }
                answerFromTable(handler, retry.replyTo() == null ? null : envelope.withReplyTo(retry.replyTo()),
                        retry.callId(), retry.offset(), entry, retry.requestHash(), replaying);
            }
        }
        PendingCall call = pending.get(envelope.callId());
        if (call == null && answersElsewhere(envelope, replaying)) {
            answerElsewhere(envelope, envelope.callId(), offset, handler, result, failure);
            return;
        }
        if (call == null) {
            if (failure != null) {
                LOG.debugf("Immortal %s: %s at offset %d threw %s", type.name(), handler.qualifiedName, offset, failure);
            }
            return;
        }
        call.recordedAt(offset);
        if (failure != null) {
            call.completeExceptionally(failure);
            return;
        }
        try {
            call.complete(handler.copyResult(result));
        } catch (Exception e) {
            call.completeExceptionally(new ImmortalException("The result of " + handler.qualifiedName
                    + " cannot be serialized to JSON: " + e.getMessage(), e));
        }
    }

    private void answerFromTable(Handler handler, Envelope envelope, String callId, long offset,
            ImpulseTable.Entry done, String requestHash, boolean replaying) {
        PendingCall call = pending.get(callId);
        if (call == null && envelope != null && answersElsewhere(envelope, replaying)) {
            try {
                Object value = outcomes.replay(handler, done, requestHash);
                answerElsewhere(envelope, callId, offset, handler, value, null);
            } catch (Exception e) {
                answerElsewhere(envelope, callId, offset, handler, null, e);
            }
            return;
        }
        if (call != null) {
            call.recordedAt(offset);
            try {
                call.complete(outcomes.replay(handler, done, requestHash));
            } catch (Exception e) {
                call.completeExceptionally(e);
            }
        }
    }

    /**
     * An outcome query, from an instance asked for the outcome of a call with an idempotency key (the {@code Location}
     * of a {@code 202}) that this partition ran: answered with the outcome the table holds at this point of the log,
     * which is after the call's own record, or that the call still runs (and again when it completes), or that the
     * partition holds no outcome for the key. Changes nothing: a replay answers the same.
     */
    private void answerQuery(ConsumerRecord<byte[], byte[]> record, Envelope envelope, boolean replaying) {
        task.status().processed(record.offset());
        if (!answersElsewhere(envelope, replaying)) {
            return;
        }
        String key = envelope.idempotencyKey();
        ImpulseTable.Entry done = task.impulses().get(key);
        if (done != null) {
            answerQueryFromTable(envelope, envelope.callId(), done, replaying);
        } else if (task.runningKeys().retryIfRunning(key, RunningKeys.Retry.query(envelope.callId(), record.offset(),
                envelope.replyTo()))) {
            answers.send(envelope.replyTo(), type.name(), envelope.callId(), Envelope.OUTCOME_RUNNING, NO_OUTCOME);
        } else {
            answers.send(envelope.replyTo(), type.name(), envelope.callId(), Envelope.OUTCOME_UNKNOWN, NO_OUTCOME);
        }
    }

    /**
     * Answers an outcome query with the outcome kept for its key, as it was kept (the asker decodes it for the method
     * that ran).
     */
    private void answerQueryFromTable(Envelope query, String callId, ImpulseTable.Entry done, boolean replaying) {
        if (!answersElsewhere(query, replaying)) {
            return;
        }
        answers.send(query.replyTo(), type.name(), callId, done.failed() ? Envelope.OUTCOME_FAILED : Envelope.OUTCOME_OK,
                new Answer(done.offset(), done.result(), done.status(), done.headers(), done.errorType(),
                        done.errorMessage(), done.error()));
    }

    /**
     * @return whether the impulse or outcome query was recorded by another instance that waits for its answer (and,
     *         during a replay, may still wait)
     */
    private boolean answersElsewhere(Envelope envelope, boolean replaying) {
        return answers != null && envelope.replyTo() != null
                && (envelope.kind() == Kind.IMPULSE || envelope.kind() == Kind.OUTCOME)
                && (!replaying || envelope.loggedAt() >= System.currentTimeMillis() - answerWindowMillis);
    }

    private void answerElsewhere(Envelope envelope, String callId, long offset, Handler handler, Object result,
            Throwable failure) {
        Answer answer;
        if (failure == null) {
            try {
                Handler.Result kept = handler.encodeResult(result);
                answer = new Answer(offset, kept.json(), kept.status(), kept.headers(), null, null, null);
            } catch (Exception e) {
                failure = new ImmortalException("The result of " + handler.qualifiedName + " cannot be serialized to"
                        + " JSON: " + e.getMessage(), e);
                answer = null;
            }
        } else {
            answer = null;
        }
        if (answer == null) {
            answer = new Answer(offset, null, null, null, failure.getClass().getName(), failure.getMessage(),
                    StoredFailures.serialize(failure));
        }
        answers.send(envelope.replyTo(), type.name(), callId,
                answer.failed() ? Envelope.OUTCOME_FAILED : Envelope.OUTCOME_OK, answer);
    }

    private static ImpulseTable.Entry entry(Handler handler, String key, String requestHash, long offset,
            Envelope envelope, Object result, Throwable failure) {
        Handler.Result kept = null;
        if (failure == null) {
            try {
                kept = handler.encodeResult(result);
            } catch (Exception e) {
                failure = e;
            }
        }
        return new ImpulseTable.Entry(key, requestHash, envelope.callId(), offset, envelope.loggedAt(),
                kept == null ? null : kept.json(), failure == null ? null : failure.getClass().getName(),
                failure == null ? null : failure.getMessage(), failure == null ? null : StoredFailures.serialize(failure),
                kept == null ? null : kept.status(), kept == null ? null : kept.headers());
    }

    /**
     * Rejects a record that cannot run: a log line with its offset and why, and the caller waiting for it here (if
     * any) gets the reason.
     *
     * @param envelope the record decoded, or {@code null} if it does not decode
     */
    public void reject(ConsumerRecord<byte[], byte[]> record, Envelope envelope, String reason) {
        task.status().processed(record.offset());
        LOG.warnf("Immortal %s: rejected the record at offset %d of %s-%d: %s", type.name(), record.offset(),
                record.topic(), record.partition(), reason);
        if (envelope != null) {
            PendingCall call = pending.get(envelope.callId());
            if (call != null) {
                call.completeExceptionally(new IllegalArgumentException(reason));
            } else if (envelope.kind() == Kind.IMPULSE && answersElsewhere(envelope, false)) {
                answerElsewhere(envelope, envelope.callId(), record.offset(), null, null,
                        new IllegalArgumentException(reason));
            }
        }
    }
}
