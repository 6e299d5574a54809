package io.quarkiverse.ambrosia.runtime.internal.log;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.quarkiverse.ambrosia.ImmortalPendingException;
import io.quarkiverse.ambrosia.ImmortalUnavailableException;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.answer.AcceptedCall;
import io.quarkiverse.ambrosia.runtime.internal.answer.ImpulseTable;
import io.quarkiverse.ambrosia.runtime.internal.answer.Outcomes;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.spi.CallOptionsSource;
import io.quarkiverse.ambrosia.runtime.internal.task.TaskState;
import io.quarkiverse.ambrosia.runtime.internal.task.TaskStatus;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.quarkus.runtime.BlockingOperationControl;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The record stage for calls from outside any immortal (impulses): a call is appended to the log, and its caller
 * waits (or, for an asynchronous method, is answered later) until the dispatcher has run it. A keyed call answered
 * before is answered again from the outcome table, without recording anything.
 */
public final class CallRecorder {

    private final String immortal;
    private final ImmortalRuntime runtime;
    private final Appender appender;
    private final PendingCalls pending;
    private final LogPartitions partitions;
    // bounds the callers waiting on this immortal, so a burst cannot exhaust memory
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Duration callTimeout;

    public CallRecorder(String immortal, ImmortalRuntime runtime, Appender appender, PendingCalls pending,
            LogPartitions partitions) {
        this.immortal = immortal;
        this.runtime = runtime;
        this.appender = appender;
        this.pending = pending;
        this.partitions = partitions;
        this.maxInFlight = runtime.config().maxInFlight();
        this.inFlight = new Semaphore(maxInFlight);
        this.callTimeout = runtime.config().callTimeout();
    }

    /**
     * Records a call in the log, then waits until the dispatcher has run it.
     */
    public Object call(Handler handler, Object[] arguments) throws Exception {
        if (!BlockingOperationControl.isBlockingAllowed()) {
            throw new IllegalStateException("Call to " + handler.qualifiedName + " on an I/O thread: a call waits until"
                    + " it is durable in the log and has run, which would block the event loop; make the caller run on"
                    + " a worker thread (for a REST endpoint, annotate it with @Blocking), or make the method return"
                    + " Uni<T> or CompletionStage<T>");
        }
        Request request = request(handler, arguments);
        checkAvailable(request);
        ImpulseTable.Entry done = answeredBefore(request);
        if (done != null) {
            return outcomes(request.partition()).replay(handler, done, request.hash());
        }
        Attempt attempt = new Attempt(this, request);
        PendingCall call = attempt.call;
        try {
            var future = attempt.send(null);
            if (request.options().respondAsync()) {
                call.recordedAt(appender.await(handler, future, attempt.appendDeadline - attempt.sent).offset());
                throw new AcceptedCall(immortal, request.key(), request.partition(), call.offset, true);
            }
            // one wait for both the append and the run: the caller is woken once, by the dispatcher, when all went
            // well (the dispatcher reads only what the log acknowledged); the append's failure also completes it
            try {
                return call.get(Math.min(attempt.appendDeadline, attempt.deadline) - attempt.sent, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (call.offset < 0) {
                    // the append still has the rest of its own timeout (this throws if it is not acknowledged in it)
                    call.recordedAt(appender.await(handler, future,
                            Math.max(0, attempt.appendDeadline - System.nanoTime())).offset());
                }
            } catch (ExecutionException e) {
                throw failed(handler, call, e.getCause());
            }
            try {
                return call.get(Math.max(0, attempt.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw attempt.notRunInTime();
            } catch (ExecutionException e) {
                throw failed(handler, call, e.getCause());
            }
        } finally {
            attempt.finish();
        }
    }

    /**
     * Records a call in the log and returns at once: the result completes when the dispatcher has run the call, on the
     * caller's Vert.x context if it had one, else on a worker thread (never on the dispatcher, where a continuation
     * would run as part of the immortal's handler). Fails as {@link #call} throws.
     */
    public CompletableFuture<Object> callAsync(Handler handler, Object[] arguments) {
        // what the caller's thread knows: its context, the request's headers, the principal
        Executor resume = runtime.continuation();
        Request request;
        try {
            request = request(handler, arguments);
            checkAvailable(request);
            ImpulseTable.Entry done = answeredBefore(request);
            if (done != null) {
                return CompletableFuture.completedFuture(outcomes(request.partition()).replay(handler, done,
                        request.hash()));
            }
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        AsyncCall async = new AsyncCall(this, resume);
        if (!appender.mayWait() || BlockingOperationControl.isBlockingAllowed()) {
            async.start(request);
        } else {
            // the first append may wait for the log's metadata: not on the event loop
            Infrastructure.getDefaultWorkerPool().execute(() -> async.start(request));
        }
        return async.result;
    }

    /**
     * @return the outcome kept for the request's idempotency key, if it was answered before (then the same outcome is
     *         given again, without recording or running anything), else {@code null}
     */
    private ImpulseTable.Entry answeredBefore(Request request) {
        ImpulseTable.Entry done = request.key() == null ? null : outcomes(request.partition()).kept(request.key());
        if (done != null) {
            request.recorded(done.offset());
        }
        return done;
    }

    private void checkAvailable(Request request) {
        TaskStatus status = partitions.status(request.partition());
        TaskState current = status.state();
        if (current.refusesCalls()) {
            throw new ImmortalUnavailableException("Call to " + request.handler().qualifiedName + " not recorded: immortal "
                    + immortal + (request.immortalKey() == null ? "" : " (partition " + request.partition() + ")")
                    + " is " + current.display() + " on this instance (" + status.detail() + ")");
        }
    }

    private Request request(Handler handler, Object[] arguments) throws IOException {
        int partition = partitions.partitionOf(handler, arguments);
        String immortalKey = handler.keyed() ? handler.keyOf(arguments) : null;
        byte[] payload = handler.encodeArguments(arguments);
        CallOptionsSource.CallOptions requested = runtime.callOptions();
        // respond-async applies to an @Impulse endpoint serving the request, not to calls a plain resource makes
        CallOptionsSource.CallOptions options = requested.respondAsync() && !handler.definition.isEndpoint()
                ? requested.withoutRespondAsync()
                : requested;
        String callId = UUID.randomUUID().toString();
        // an asynchronous call is keyed (by its call id if the caller gave no key) so its outcome can be fetched later
        String key = options.idempotencyKey() != null
                ? options.idempotencyKey()
                : options.respondAsync() ? callId : null;
        return new Request(handler, options, callId, key, Envelope.target(immortal, handler.definition.getId()), payload,
                runtime.principal(), immortalKey, partition, handler.keyed() ? runtime.answerTopic() : null);
    }

    /**
     * @return what a call's failure means to its caller, to throw: its handler's exception, the append's failure, or
     *         that it was recorded but will run elsewhere or later
     */
    Exception failed(Handler handler, PendingCall call, Throwable cause) {
        if (cause instanceof PendingCall.AppendFailed failure) {
            return appender.failure(handler, failure.getCause());
        }
        if (cause instanceof PendingCall.Abandoned) {
            return new ImmortalPendingException("Call to " + handler.qualifiedName + " was recorded at offset "
                    + call.offset + " of " + appender.logTopic() + " but " + cause.getMessage()
                    + "; it will run exactly once when immortal " + immortal + " recovers", call.offset);
        }
        if (cause instanceof Exception exception) {
            return exception;
        }
        throw (Error) cause;
    }

    String immortal() {
        return immortal;
    }

    Appender appender() {
        return appender;
    }

    PendingCalls pending() {
        return pending;
    }

    Outcomes outcomes(int partition) {
        return partitions.outcomes(partition);
    }

    TaskStatus status(int partition) {
        return partitions.status(partition);
    }

    Semaphore inFlight() {
        return inFlight;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    Duration callTimeout() {
        return callTimeout;
    }

    void sweepAsyncCalls() {
        runtime.sweepAsyncCalls();
    }
}
