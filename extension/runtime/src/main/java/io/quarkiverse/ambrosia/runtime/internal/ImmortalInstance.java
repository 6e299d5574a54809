package io.quarkiverse.ambrosia.runtime.internal;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import jakarta.interceptor.InvocationContext;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.IdempotencyKeyReusedException;
import io.quarkiverse.ambrosia.ImmortalCallTimeoutException;
import io.quarkiverse.ambrosia.ImmortalException;
import io.quarkiverse.ambrosia.ImmortalOutcomeUnknownException;
import io.quarkiverse.ambrosia.ImmortalOverloadedException;
import io.quarkiverse.ambrosia.ImmortalPendingException;
import io.quarkiverse.ambrosia.ImmortalUnavailableException;
import io.quarkiverse.ambrosia.StateCodec;
import io.quarkiverse.ambrosia.UnknownImmortalException;
import io.quarkiverse.ambrosia.runtime.internal.answer.AcceptedCall;
import io.quarkiverse.ambrosia.runtime.internal.answer.ImpulseTable;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointHealth;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerContext;
import io.quarkiverse.ambrosia.runtime.internal.kafka.LogMetadata;
import io.quarkiverse.ambrosia.runtime.internal.log.PendingCall;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalDefinition;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;
import io.quarkiverse.ambrosia.runtime.internal.spi.CallOptionsSource;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import io.quarkus.arc.InjectableBean;
import io.quarkus.runtime.BlockingOperationControl;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * One immortal at runtime: records calls in its log, waits for their results, and runs the records its
 * {@link Dispatcher} reads, one at a time.
 */
public final class ImmortalInstance {

    private static final Logger LOG = Logger.getLogger(ImmortalInstance.class);

    enum Status {
        RECOVERING, LIVE, FENCED, FAILED, STOPPED
    }

    public final String name;
    final Class<?> beanClass;
    final String logTopic;
    final String checkpointTopic;
    final String transactionalId;
    final String groupId;
    private final String beanId;
    private final ImmortalRuntime runtime;
    private final Map<String, Handler> handlersByTarget = new HashMap<>();
    private final Map<String, Handler> handlersBySignature = new HashMap<>();
    private final Map<Method, Optional<Handler>> handlersByMethod = new ConcurrentHashMap<>();
    private final Map<String, PendingCall> pending = new ConcurrentHashMap<>();
    // outcomes of keyed calls; changed by the dispatcher under the write lock, checkpointed with the state
    private final ImpulseTable impulses = new ImpulseTable();
    // keys of impulses whose handler waits for a reply, with the retries recorded meanwhile; dispatcher only
    private final Map<String, List<Retry>> keysRunning = new HashMap<>();
    // calls to other immortals, outputs, and impulses that wait: owned by the dispatcher
    final Calls calls = new Calls();
    // how the checkpoints go: written by the dispatcher, read by health checks and metrics
    final CheckpointHealth checkpointHealth = new CheckpointHealth();
    // keys of calls answered 202 here and not run yet; and a monitor to wait for outcomes on
    private final java.util.Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Object outcomes = new Object();
    // how many reads wait on the status monitor until a given offset has been processed (read-your-writes)
    private final AtomicInteger progressWaiters = new AtomicInteger();
    // bounds the callers waiting on this immortal, so a burst cannot exhaust memory
    private final Semaphore inFlight;
    // the dispatcher writes under the write lock, @ReadOnly methods read under the read lock
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    private final Object statusMonitor = new Object();
    private volatile Status status = Status.RECOVERING;
    private volatile String statusDetail = "starting";
    private volatile long processedOffset = -1;
    // once a call waited for the log's metadata, the next ones do not: they are refused at once without it (so they
    // may append on an I/O thread)
    private volatile boolean logMetadataAwaited;
    private Dispatcher dispatcher;

    ImmortalInstance(ImmortalDefinition definition, ImmortalRuntime runtime, Class<?> beanClass,
            Map<String, Handler> handlers) {
        this.name = definition.getName();
        this.beanClass = beanClass;
        this.beanId = definition.getBeanId();
        this.runtime = runtime;
        String prefix = runtime.config().topicPrefix();
        this.logTopic = prefix + name;
        this.checkpointTopic = prefix + name + ".checkpoints";
        this.transactionalId = prefix + name + "-0";
        this.groupId = prefix + name;
        this.inFlight = new Semaphore(runtime.config().maxInFlight());
        for (Handler handler : handlers.values()) {
            handlersByTarget.put(Envelope.target(name, handler.definition.getId()), handler);
            // calls from other immortals name the method by its signature
            handlersByTarget.putIfAbsent(handler.callTarget(name), handler);
            handlersBySignature.put(handler.definition.getSignature(), handler);
        }
    }

    public String name() {
        return name;
    }

    Status status() {
        return status;
    }

    /**
     * @return whether this instance has recovered the immortal and processes its log
     */
    public boolean isLive() {
        return status == Status.LIVE;
    }

    /**
     * @return the status for humans: live, recovering, fenced, failed or stopped, with details
     */
    public String describeStatus() {
        CheckpointHealth.Failing failing = checkpointHealth.failing();
        return status.name().toLowerCase() + (status == Status.LIVE ? "" : ": " + statusDetail)
                + (failing == null ? "" : "; " + failing.describe())
                + (processedOffset >= 0 ? " (processed up to offset " + processedOffset + ")" : "");
    }

    /**
     * @return how this immortal's checkpoints go
     */
    public CheckpointHealth checkpointHealth() {
        return checkpointHealth;
    }

    /**
     * @return how many log records were processed after the newest checkpoint: what a recovery would replay
     */
    public long recordsSinceCheckpoint() {
        return Math.max(0, processedOffset + 1 - checkpointHealth.checkpointOffset());
    }

    String statusDetail() {
        return statusDetail;
    }

    /**
     * @return the offset of the last log record this instance processed, or -1
     */
    long processedOffset() {
        return processedOffset;
    }

    void start() {
        dispatcher = new Dispatcher(this, runtime);
        Thread thread = new Thread(dispatcher, "ambrosia-dispatcher-" + name);
        thread.setDaemon(true);
        dispatcher.thread = thread;
        thread.start();
    }

    void stop() {
        if (dispatcher != null) {
            dispatcher.stop();
        }
        changeStatus(Status.STOPPED, "stopped");
        abandonPending("this application instance stopped before running it");
    }

    public Handler handlerFor(Method method) {
        return handlersByMethod.computeIfAbsent(method, m -> Optional.ofNullable(handlersBySignature.get(signature(m))))
                .orElse(null);
    }

    private static String signature(Method method) {
        StringBuilder signature = new StringBuilder(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (i > 0) {
                signature.append(',');
            }
            signature.append(types[i].getName());
        }
        return signature.append(')').toString();
    }

    /**
     * Records a call in the log, then waits until the dispatcher has run it.
     */
    public Object call(Handler handler, Object[] arguments) throws Exception {
        checkAvailable(handler);
        if (!BlockingOperationControl.isBlockingAllowed()) {
            throw new IllegalStateException("Call to " + handler.qualifiedName + " on an I/O thread: a call waits until"
                    + " it is durable in the log and has run, which would block the event loop; make the caller run on"
                    + " a worker thread (for a REST endpoint, annotate it with @Blocking), or make the method return"
                    + " Uni<T> or CompletionStage<T>");
        }
        Request request = request(handler, arguments);
        ImpulseTable.Entry done = answeredBefore(request);
        if (done != null) {
            return replayOutcome(handler, done, request.hash());
        }
        Attempt attempt = new Attempt(request);
        PendingCall call = attempt.call;
        try {
            var future = attempt.send(null);
            if (request.options().respondAsync()) {
                call.recordedAt(awaitAppend(handler, future, attempt.appendDeadline - attempt.sent).offset());
                throw new AcceptedCall(name, request.key(), call.offset, true);
            }
            // one wait for both the append and the run: the caller is woken once, by the dispatcher, when all went
            // well (the dispatcher reads only what the log acknowledged); the append's failure also completes it
            try {
                return call.get(Math.min(attempt.appendDeadline, attempt.deadline) - attempt.sent, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (call.offset < 0) {
                    // the append still has the rest of its own timeout (this throws if it is not acknowledged in it)
                    call.recordedAt(awaitAppend(handler, future,
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
            checkAvailable(handler);
            request = request(handler, arguments);
            ImpulseTable.Entry done = answeredBefore(request);
            if (done != null) {
                return CompletableFuture.completedFuture(replayOutcome(handler, done, request.hash()));
            }
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        AsyncCall async = new AsyncCall(resume);
        if (logMetadataAwaited || BlockingOperationControl.isBlockingAllowed()) {
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
        ImpulseTable.Entry done = request.key() == null ? null : keyedOutcome(request.key());
        if (done != null) {
            request.recorded(done.offset());
        }
        return done;
    }

    private void checkAvailable(Handler handler) {
        Status current = status;
        if (current == Status.FENCED || current == Status.FAILED || current == Status.STOPPED) {
            throw new ImmortalUnavailableException("Call to " + handler.qualifiedName + " not recorded: immortal " + name
                    + " is " + current.name().toLowerCase() + " on this instance (" + statusDetail + ")");
        }
    }

    /**
     * A call as its caller makes it, before anything is recorded.
     *
     * @param key the idempotency key, or {@code null}
     */
    private record Request(Handler handler, CallOptionsSource.CallOptions options, String callId, String key,
            String target, byte[] payload, String principal) {

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
    }

    private Request request(Handler handler, Object[] arguments) throws IOException {
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
        return new Request(handler, options, callId, key, Envelope.target(name, handler.definition.getId()), payload,
                runtime.principal());
    }

    /**
     * A call being recorded and run: registered as pending and counted in flight until {@link #finish}.
     */
    private final class Attempt {
        final Request request;
        final PendingCall call = new PendingCall();
        final long sent = System.nanoTime();
        final long deadline = sent + runtime.config().callTimeout().toNanos();
        final long appendDeadline = sent + runtime.config().appendTimeout().toNanos();

        Attempt(Request request) {
            this.request = request;
            if (!inFlight.tryAcquire()) {
                throw new ImmortalOverloadedException("Call to " + request.handler().qualifiedName + " not recorded: "
                        + runtime.config().maxInFlight() + " calls are already waiting for immortal " + name
                        + " (quarkus.ambrosia.max-in-flight)");
            }
            pending.put(request.callId(), call);
            if (request.options().respondAsync()) {
                accepted.add(request.key());
            }
        }

        java.util.concurrent.Future<RecordMetadata> send(BiConsumer<Long, Exception> acknowledged) {
            Envelope envelope = Envelope.impulse(request.target(), request.callId(), System.currentTimeMillis(),
                    request.principal(), request.key(), request.payload());
            return ImmortalInstance.this.send(request.handler(), envelope, call, acknowledged);
        }

        /**
         * @return what to answer a call recorded but not run within the call timeout
         */
        Exception notRunInTime() {
            String key = request.key();
            Handler handler = request.handler();
            if (key != null && handler.definition.isEndpoint()) {
                // a keyed request's outcome can be fetched later: answer where, rather than that it is pending
                accepted.add(key);
                if (keyedOutcome(key) != null) {
                    // it ran meanwhile, and the dispatcher found nothing to remove
                    accepted.remove(key);
                }
                return new AcceptedCall(name, key, call.offset, false);
            }
            return new ImmortalPendingException("Call to " + handler.qualifiedName + " was recorded at offset "
                    + call.offset + " of " + logTopic + " but did not run within " + runtime.config().callTimeout()
                    + " (immortal " + name + " is " + status.name().toLowerCase() + "); it will run exactly once",
                    call.offset);
        }

        /** Ends the call for its caller: where it was recorded goes with the answer, its place in flight is freed. */
        void finish() {
            request.recorded(call.offset);
            pending.remove(request.callId());
            inFlight.release();
            if (request.options().respondAsync() && call.offset < 0) {
                accepted.remove(request.key());
            }
        }
    }

    /**
     * A call whose caller does not wait: settled once, by the dispatcher's outcome, the append's failure or
     * acknowledgement (for {@code respond-async}), or a timeout found by the sweep of {@link #checkAsyncCalls}.
     */
    public final class AsyncCall {
        final CompletableFuture<Object> result = new CompletableFuture<>();
        private final Executor resume;
        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile Attempt attempt;

        AsyncCall(Executor resume) {
            this.resume = resume;
        }

        void start(Request request) {
            Attempt started;
            try {
                started = new Attempt(request);
            } catch (RuntimeException e) {
                resume.execute(() -> result.completeExceptionally(e));
                return;
            }
            attempt = started;
            started.call.async = this;
            boolean respondAsync = request.options().respondAsync();
            try {
                started.send(!respondAsync
                        ? null
                        : (offset, failure) -> settle(null, failure != null
                                ? appendFailure(request.handler(), failure)
                                : new AcceptedCall(name, request.key(), offset, true)));
            } catch (RuntimeException e) {
                settle(null, e);
                return;
            }
            if (!respondAsync) {
                started.call.whenComplete((value, failure) -> settle(value,
                        failure == null ? null : outcomeOf(request.handler(), started.call, unwrap(failure))));
            }
            runtime.sweepAsyncCalls();
        }

        /** From the sweep: ends the call if its append or its run took too long. */
        void check(long now) {
            Attempt current = attempt;
            if (current == null || settled.get()) {
                return;
            }
            if (current.call.offset < 0) {
                if (now - current.appendDeadline >= 0) {
                    settle(null, appendTimedOut(current.request.handler(), null));
                }
            } else if (now - current.deadline >= 0 && !current.call.isDone()) {
                settle(null, current.notRunInTime());
            }
        }

        private void settle(Object value, Throwable failure) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            // the rest on the caller's context: the dispatcher (or the producer's thread) only hands it over
            resume.execute(() -> {
                attempt.finish();
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure);
                }
            });
        }
    }

    /** Ends the asynchronous calls that waited too long; run by the runtime's sweep while any is pending. */
    boolean checkAsyncCalls(long now) {
        boolean any = false;
        for (PendingCall call : pending.values()) {
            AsyncCall async = call.async;
            if (async != null) {
                any = true;
                async.check(now);
            }
        }
        return any;
    }

    /** @return what the call's failure means to its caller, as {@link #failed}, with an error passed on as it is */
    private Throwable outcomeOf(Handler handler, PendingCall call, Throwable cause) {
        return cause instanceof Error error ? error : failed(handler, call, cause);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * @return what a call's failure means to its caller, to throw: its handler's exception, the append's failure, or
     *         that it was recorded but will run elsewhere or later
     */
    private Exception failed(Handler handler, PendingCall call, Throwable cause) {
        if (cause instanceof PendingCall.AppendFailed failure) {
            return appendFailure(handler, failure.getCause());
        }
        if (cause instanceof PendingCall.Abandoned) {
            return new ImmortalPendingException("Call to " + handler.qualifiedName + " was recorded at offset "
                    + call.offset + " of " + logTopic + " but " + cause.getMessage()
                    + "; it will run exactly once when immortal " + name + " recovers", call.offset);
        }
        if (cause instanceof Exception exception) {
            return exception;
        }
        throw (Error) cause;
    }

    /**
     * Waits up to {@code nanos} for an append's acknowledgement.
     *
     * @throws ImmortalOutcomeUnknownException if it did not come in time or the append timed out
     * @throws ImmortalUnavailableException if the append failed: the call is not recorded
     */
    private RecordMetadata awaitAppend(Handler handler, java.util.concurrent.Future<RecordMetadata> append, long nanos)
            throws InterruptedException {
        try {
            return append.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw appendTimedOut(handler, e);
        } catch (ExecutionException e) {
            throw appendFailure(handler, e.getCause());
        }
    }

    private ImmortalOutcomeUnknownException appendTimedOut(Handler handler, TimeoutException cause) {
        return new ImmortalOutcomeUnknownException("Call to " + handler.qualifiedName + ": appending to " + logTopic
                + " did not complete within " + runtime.config().appendTimeout() + "; it may or may not have been"
                + " recorded", cause);
    }

    private ImmortalException appendFailure(Handler handler, Throwable cause) {
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

    /**
     * Appends a call to the log. Its acknowledgement sets where it was recorded (or, if this instance is no longer the
     * immortal's, abandons it); a failure completes the call, so its caller need not wait for the append separately.
     *
     * @param acknowledged told the offset or the failure after that, or {@code null}
     */
    private java.util.concurrent.Future<RecordMetadata> send(Handler handler, Envelope envelope, PendingCall call,
            BiConsumer<Long, Exception> acknowledged) {
        try {
            Producer<byte[], byte[]> producer = runtime.appendProducer();
            if (!logMetadataAwaited) {
                try {
                    // the first call of this instance: the producer has not even asked for the log's metadata yet
                    LogMetadata.await(producer, logTopic,
                            System.nanoTime() + runtime.config().appendTimeout().toNanos());
                } finally {
                    // written once: a volatile write on every append would fence the caller's thread for nothing
                    logMetadataAwaited = true;
                }
            }
            // without the partition's metadata nothing is sent: the call is certainly not recorded (a send would
            // report the same as an ambiguous timeout). Never blocks: the log is unreachable, refuse the call now
            producer.partitionsFor(logTopic);
            return producer.send(envelope.toProducerRecord(logTopic), (metadata, exception) -> {
                if (exception != null) {
                    call.completeExceptionally(new PendingCall.AppendFailed(exception));
                } else {
                    call.recordedAt(metadata.offset());
                    Status now = status;
                    // recorded after this instance stopped or lost the immortal: abandonPending may have passed it by
                    if (now == Status.FENCED || now == Status.STOPPED || now == Status.FAILED) {
                        call.completeExceptionally(new PendingCall.Abandoned("immortal " + name + " is "
                                + now.name().toLowerCase() + " on this instance (" + statusDetail + ")"));
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
     * Runs a {@code ReadOnly} method on the caller's thread, between two logged calls, once recovery has caught up.
     */
    public Object read(Handler handler, InvocationContext context) throws Exception {
        awaitLive(handler);
        long minOffset = runtime.callOptions().minOffset();
        if (minOffset > processedOffset) {
            awaitProcessed(handler, minOffset);
        }
        stateLock.readLock().lock();
        try {
            return handler.copyResult(context.proceed());
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /**
     * Waits until this instance has run the record at {@code offset}, so a read includes the caller's own call.
     */
    private void awaitProcessed(Handler handler, long offset) throws InterruptedException {
        progressWaiters.incrementAndGet();
        try {
            awaitStatus(() -> processedOffset >= offset || status != Status.LIVE);
        } finally {
            progressWaiters.decrementAndGet();
        }
        if (processedOffset < offset) {
            throw new ImmortalUnavailableException("Cannot read " + handler.qualifiedName + " as of offset " + offset
                    + " of " + logTopic + ": immortal " + name + " is " + status.name().toLowerCase()
                    + " on this instance and has processed up to offset " + processedOffset + " (waited up to "
                    + runtime.config().callTimeout() + ")");
        }
    }

    private void processed(long offset) {
        processedOffset = offset;
        // the dispatcher pays for a notification only while a read waits for its own write
        if (progressWaiters.get() > 0) {
            synchronized (statusMonitor) {
                statusMonitor.notifyAll();
            }
        }
    }

    /**
     * Waits on the status monitor (notified when the status changes, and when a record is processed while reads wait
     * for one) until the condition holds or the call timeout passes.
     */
    private void awaitStatus(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + runtime.config().callTimeout().toNanos();
        synchronized (statusMonitor) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(statusMonitor, left);
            }
        }
    }

    private void awaitLive(Handler handler) throws InterruptedException {
        if (status == Status.LIVE) {
            return;
        }
        awaitStatus(() -> status != Status.RECOVERING);
        if (status != Status.LIVE) {
            throw new ImmortalUnavailableException("Cannot read " + handler.qualifiedName + ": immortal " + name + " is "
                    + status.name().toLowerCase() + " on this instance (" + statusDetail + ")");
        }
    }

    /**
     * Runs one log record on the dispatcher thread: an impulse or a call runs a handler, a reply or a timeout completes
     * a call this immortal made. Never throws for a bad record or a failing handler: both outcomes are deterministic,
     * so a replay reaches the same state.
     */
    void execute(ConsumerRecord<byte[], byte[]> record, Envelope envelope, boolean replaying) {
        switch (envelope.kind()) {
            case IMPULSE -> runImpulse(record, envelope, replaying);
            case CALL -> runCall(record, envelope, replaying);
            case REPLY -> applyReply(record, envelope, replaying);
            case TIMEOUT -> applyTimeout(record, envelope, replaying);
            default -> throw new IllegalStateException("the dispatcher handles " + envelope.kind() + " records itself");
        }
    }

    private void runImpulse(ConsumerRecord<byte[], byte[]> record, Envelope envelope, boolean replaying) {
        Handler handler = handlersByTarget.get(envelope.target());
        if (handler == null) {
            reject(record, envelope, "no method of immortal " + name + " matches target '" + envelope.target() + "'");
            return;
        }
        Object[] arguments;
        try {
            arguments = handler.decodeArguments(envelope.payload());
        } catch (IllegalArgumentException e) {
            reject(record, envelope, e.getMessage());
            return;
        }
        String key = envelope.idempotencyKey();
        String requestHash = key == null ? null : Envelope.requestHash(envelope.target(), envelope.payload());
        HandlerContext context = new HandlerContext(this, record.offset(), envelope.callId(), envelope.loggedAt(),
                envelope.principal(), replaying);
        ImpulseTable.Entry done = null;
        // the idempotency table changes only here, on the dispatcher, under the write lock
        stateLock.writeLock().lock();
        try {
            if (impulses.size() > 0) {
                impulses.expire(envelope.loggedAt(), runtime.config().idempotency().retention().toMillis(),
                        runtime.config().idempotency().maxKeys());
            }
            done = key == null ? null : impulses.get(key);
            if (done == null) {
                List<Retry> running = key == null ? null : keysRunning.get(key);
                if (running != null) {
                    // a retry of a call whose handler still waits for a reply: answered when that one completes
                    running.add(new Retry(envelope.callId(), record.offset(), requestHash));
                } else {
                    if (key != null) {
                        keysRunning.put(key, new ArrayList<>());
                    }
                    invoke(context, handler, arguments, envelope.principal(),
                            (result, failure) -> finishImpulse(handler, envelope, record.offset(), key, requestHash,
                                    result, failure));
                }
            }
        } finally {
            stateLock.writeLock().unlock();
        }
        processed(record.offset());
        if (done != null) {
            // a retry recorded before the first attempt's outcome was known: not run again
            outcomeStored(key);
            answerFromTable(handler, envelope.callId(), record.offset(), done, requestHash);
        }
    }

    /**
     * Hands an impulse's outcome to its caller, and keeps it with its key: on the dispatcher, when the handler
     * returned, or when its {@code Uni} completed.
     */
    private void finishImpulse(Handler handler, Envelope envelope, long offset, String key, String requestHash,
            Object result, Throwable failure) {
        if (key != null) {
            ImpulseTable.Entry entry = outcome(handler, key, requestHash, offset, envelope, result, failure);
            impulses.put(entry);
            List<Retry> retries = keysRunning.remove(key);
            outcomeStored(key);
            for (Retry retry : retries == null ? List.<Retry>of() : retries) {
                answerFromTable(handler, retry.callId(), retry.offset(), entry, retry.requestHash());
            }
        }
        PendingCall call = pending.get(envelope.callId());
        if (call == null) {
            if (failure != null) {
                LOG.debugf("Immortal %s: %s at offset %d threw %s", name, handler.qualifiedName, offset, failure);
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

    private void answerFromTable(Handler handler, String callId, long offset, ImpulseTable.Entry done,
            String requestHash) {
        PendingCall call = pending.get(callId);
        if (call != null) {
            call.recordedAt(offset);
            try {
                call.complete(replayOutcome(handler, done, requestHash));
            } catch (Exception e) {
                call.completeExceptionally(e);
            }
        }
    }

    /**
     * Runs a call from another immortal, and writes its reply to the caller's log (in this immortal's transaction)
     * when the handler's result is known.
     */
    private void runCall(ConsumerRecord<byte[], byte[]> record, Envelope envelope, boolean replaying) {
        if (!calls.accept(envelope.sender(), envelope.sequence())) {
            LOG.debugf("Immortal %s: dropped the call at offset %d: %s's output %d was received before", name,
                    record.offset(), envelope.sender(), envelope.sequence());
            return;
        }
        Handler handler = handlersByTarget.get(envelope.target());
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
        HandlerContext context = new HandlerContext(this, record.offset(), envelope.callId(), envelope.loggedAt(),
                envelope.principal(), replaying);
        stateLock.writeLock().lock();
        try {
            invoke(context, handler, arguments, envelope.principal(),
                    (result, failure) -> reply(envelope, record.offset(), handler, result, failure));
        } finally {
            stateLock.writeLock().unlock();
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
        String outcome = failure == null ? Envelope.OUTCOME_OK : Envelope.OUTCOME_FAILED;
        if (failure != null) {
            payload = StoredFailures.toReply(runtime.objectMapper(), failure);
        }
        long sequence = calls.allocateSequence();
        // stamped with the time it is sent: only the receiver's state depends on it, through its own log
        calls.outputs.add(new Calls.Output(sequence, call.replyTo(),
                failure == null
                        ? Envelope.reply(call.sender(), call.callId(), System.currentTimeMillis(), payload, name, sequence)
                        : Envelope.failedReply(call.sender(), call.callId(), System.currentTimeMillis(), payload, name,
                                sequence),
                null, callOffset));
    }

    /**
     * Runs a handler under the write lock (held by the caller) and hands its outcome to {@code then}: at once, or for
     * a {@code Uni} or {@code CompletionStage} result when it completes, which happens on the dispatcher while a later
     * reply is applied.
     */
    private void invoke(HandlerContext context, Handler handler, Object[] arguments, String principal,
            BiConsumer<Object, Throwable> then) {
        Object result = null;
        Throwable failure = null;
        CompletableFuture<?> completion = null;
        HandlerContext.enter(context);
        try {
            result = runtime.callScope().run(principal, () -> handler.invoke(arguments));
            if (handler.returns.async()) {
                // subscribed here, while the record's context is current: a deferred Uni may make its calls now
                completion = completion(handler, result);
            }
        } catch (StackOverflowError e) {
            failure = e;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            failure = e;
        } finally {
            HandlerContext.exit();
        }
        if (completion == null) {
            then.accept(result, failure);
            return;
        }
        if (completion.isDone()) {
            deliver(completion, then);
            return;
        }
        calls.openInvocations++;
        CompletableFuture<?> pendingCompletion = completion;
        completion.whenComplete((ignoredValue, ignoredFailure) -> {
            if (!dispatcher.onDispatcher()) {
                LOG.errorf("Immortal %s: the result of %s completed outside the dispatcher, so not deterministically; an"
                        + " asynchronous handler may only wait for calls to immortals. The outcome is dropped",
                        name, handler.qualifiedName);
                return;
            }
            calls.openInvocations--;
            deliver(pendingCompletion, then);
        });
    }

    private static CompletableFuture<?> completion(Handler handler, Object result) {
        if (result == null) {
            return CompletableFuture.failedFuture(new NullPointerException(handler.qualifiedName + " returned null"
                    + " instead of a " + (handler.returns == Handler.Returns.UNI ? "Uni" : "CompletionStage")));
        }
        return handler.returns == Handler.Returns.UNI
                ? ((Uni<?>) result).subscribeAsCompletionStage()
                : ((CompletionStage<?>) result).toCompletableFuture();
    }

    private static void deliver(CompletableFuture<?> completion, BiConsumer<Object, Throwable> then) {
        Object value;
        try {
            value = completion.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            then.accept(null, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            return;
        }
        then.accept(value, null);
    }

    /**
     * A call from a handler of this immortal to a method of another, local or in another service: queued as an output
     * of the current transaction; its reply completes the returned {@code Uni} or {@code CompletionStage} on this
     * immortal's dispatcher.
     *
     * @return {@code null} for a fork, else the {@code Uni} or {@code CompletionStage} of the reply
     */
    public Object callImmortal(String targetImmortal, Handler target, Object[] arguments) {
        HandlerContext context = HandlerContext.require("A call to another immortal");
        if (target.returns == Handler.Returns.VALUE) {
            throw new IllegalStateException("Immortal " + name + " calls " + target.qualifiedName + ", which returns its"
                    + " value: a handler cannot wait for a reply that only its own dispatcher can deliver; declare it"
                    + " returning Uni<T> or CompletionStage<T>, or void for a fork");
        }
        byte[] payload = target.encodeArguments(arguments);
        long sequence = calls.allocateSequence();
        String callId = name + ":" + sequence;
        boolean request = target.returns != Handler.Returns.VOID;
        // stamped with the time it is made (the callee's Immortals.now()): only the callee's state depends on it,
        // through its own log; the deadline only arms the timer whose timeout is recorded
        long now = System.currentTimeMillis();
        Calls.Outstanding outstanding = request
                ? new Calls.Outstanding(callId, target, context.principal(),
                        now + runtime.config().calls().timeout().toMillis())
                : null;
        Envelope envelope = Envelope.call(target.callTarget(targetImmortal), callId, now, context.principal(), payload,
                name, sequence, request ? logTopic : null);
        calls.outputs.add(new Calls.Output(sequence, runtime.config().topicPrefix() + targetImmortal, envelope,
                outstanding, context.offset()));
        if (!request) {
            return null;
        }
        calls.outstanding.put(callId, outstanding);
        return target.returns == Handler.Returns.UNI ? Uni.createFrom().completionStage(outstanding) : outstanding.copy();
    }

    private void applyReply(ConsumerRecord<byte[], byte[]> record, Envelope envelope, boolean replaying) {
        if (!calls.accept(envelope.sender(), envelope.sequence())) {
            LOG.debugf("Immortal %s: dropped the reply at offset %d: %s's output %d was received before", name,
                    record.offset(), envelope.sender(), envelope.sequence());
            return;
        }
        Calls.Outstanding call = calls.outstanding.remove(envelope.callId());
        if (call == null) {
            // its timeout was applied first, or the call is not this immortal's
            LOG.debugf("Immortal %s: the reply at offset %d answers no outstanding call (%s)", name, record.offset(),
                    envelope.callId());
            return;
        }
        call.cancelTimer();
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
            failure = StoredFailures.fromReply(runtime.objectMapper(), envelope.payload());
        }
        complete(call, record, envelope, replaying, value, failure);
    }

    private void applyTimeout(ConsumerRecord<byte[], byte[]> record, Envelope envelope, boolean replaying) {
        Calls.Outstanding call = calls.outstanding.remove(envelope.callId());
        if (call == null) {
            return;
        }
        call.cancelTimer();
        complete(call, record, envelope, replaying, null, new ImmortalCallTimeoutException("Call " + call.callId + " to "
                + call.target.qualifiedName + " had no reply within " + runtime.config().calls().timeout()
                + " (timeout recorded at offset " + record.offset() + " of " + logTopic + "); it was delivered and may"
                + " still run"));
    }

    /**
     * Completes a call's {@code Uni} with its reply: its continuation runs now, under the write lock, with the reply's
     * record as the current one.
     */
    private void complete(Calls.Outstanding call, ConsumerRecord<byte[], byte[]> record, Envelope envelope,
            boolean replaying, Object value, Throwable failure) {
        HandlerContext context = new HandlerContext(this, record.offset(), envelope.callId(), envelope.loggedAt(),
                call.principal, replaying);
        stateLock.writeLock().lock();
        HandlerContext.enter(context);
        try {
            runtime.callScope().run(call.principal, () -> {
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
            stateLock.writeLock().unlock();
        }
    }

    /**
     * Records that a call had no reply in time, in this immortal's own log: the timeout takes effect when the
     * dispatcher reads it, so a replay sees it at the same point.
     */
    void recordTimeout(Calls.Outstanding call) {
        if (status != Status.LIVE || calls.outstanding.get(call.callId) != call) {
            return;
        }
        Envelope timeout = Envelope.timeout(name, call.callId, System.currentTimeMillis());
        try {
            runtime.appendProducer().send(timeout.toProducerRecord(logTopic), (metadata, failure) -> {
                if (failure != null) {
                    LOG.warnf("Immortal %s: recording the timeout of call %s failed (%s); trying again", name,
                            call.callId, failure.getMessage());
                    runtime.scheduleTimeout(this, call, 1000);
                }
            });
        } catch (KafkaException e) {
            LOG.warnf("Immortal %s: recording the timeout of call %s failed (%s); trying again", name, call.callId,
                    e.getMessage());
            runtime.scheduleTimeout(this, call, 1000);
        }
    }

    /**
     * Arms the timeout of every outstanding call that has none: calls written by the last commit, and after recovery
     * the calls the replay left waiting.
     */
    void armTimeouts() {
        for (Calls.Outstanding call : calls.outstanding.values()) {
            if (call.timer == null) {
                runtime.scheduleTimeout(this, call, Math.max(0, call.deadline - System.currentTimeMillis()));
            }
        }
    }

    private ImpulseTable.Entry keyedOutcome(String key) {
        // not under the state lock, which the dispatcher holds while a handler runs
        return impulses.get(key);
    }

    private ImpulseTable.Entry outcome(Handler handler, String key, String requestHash, long offset, Envelope envelope,
            Object result, Throwable failure) {
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
     * @return the recorded result of a keyed call made before
     * @throws Exception the exception it threw, or {@link IdempotencyKeyReusedException} for another request
     */
    private Object replayOutcome(Handler handler, ImpulseTable.Entry done, String requestHash) throws Exception {
        if (!done.requestHash().equals(requestHash)) {
            throw new IdempotencyKeyReusedException("Idempotency key '" + done.key() + "' was used at offset "
                    + done.offset() + " of " + logTopic + " for another request (another method or other arguments)");
        }
        if (done.failed()) {
            throw StoredFailures.rebuild(done.error(), done.errorType(), done.errorMessage());
        }
        return handler.decodeResult(done.result(), done.status(), done.headers());
    }

    ImpulseTable impulses() {
        return impulses;
    }

    /**
     * Replaces the state, the idempotency table and the call bookkeeping (initial when {@code system} is {@code null})
     * with a checkpoint's, forgetting the calls in flight,
     * under the write lock, so no reader sees them half restored.
     */
    void restore(StateCodec codec, Object bean, byte[] state, byte[] system, ObjectMapper mapper, long logOffset)
            throws IOException {
        stateLock.writeLock().lock();
        try {
            codec.decodeInto(state, bean, beanClass);
            calls.restore(mapper, system, impulses, logOffset);
            keysRunning.clear();
        } finally {
            stateLock.writeLock().unlock();
        }
    }

    private void outcomeStored(String key) {
        accepted.remove(key);
        synchronized (outcomes) {
            outcomes.notifyAll();
        }
    }

    /**
     * The outcome of a keyed or accepted call, as far as this instance knows.
     *
     * @param state whether it ran (and how), still runs, or is unknown here
     * @param result the result as JSON, when it ran
     * @param failure what it threw, when it failed
     * @param status the HTTP status it returned (a {@code RestResponse}), or {@code null}
     * @param headers the headers it returned (a {@code RestResponse}), or {@code null}
     */
    public record Outcome(OutcomeState state, byte[] result, Exception failure, Integer status,
            Map<String, List<String>> headers) {

        Outcome(OutcomeState state, byte[] result, Exception failure) {
            this(state, result, failure, null, null);
        }
    }

    private record Retry(String callId, long offset, String requestHash) {
    }

    public enum OutcomeState {
        DONE, FAILED, RUNNING, UNKNOWN
    }

    /**
     * @return the outcome of the call recorded with that key, waiting up to {@code wait} for it to run
     */
    public Outcome awaitOutcome(String key, java.time.Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (outcomes) {
            while (true) {
                ImpulseTable.Entry done = keyedOutcome(key);
                if (done != null) {
                    return done.failed()
                            ? new Outcome(OutcomeState.FAILED, null,
                                    StoredFailures.rebuild(done.error(), done.errorType(), done.errorMessage()))
                            : new Outcome(OutcomeState.DONE, done.result(), null, done.status(), done.headers());
                }
                // recorded here and not run yet, or recovering (a recorded call is run before the immortal is live)
                boolean running = accepted.contains(key) || status == Status.RECOVERING;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Outcome(running ? OutcomeState.RUNNING : OutcomeState.UNKNOWN, null, null);
                }
                TimeUnit.NANOSECONDS.timedWait(outcomes, left);
            }
        }
    }

    void reject(ConsumerRecord<byte[], byte[]> record, Envelope envelope, String reason) {
        processed(record.offset());
        LOG.warnf("Immortal %s: rejected the record at offset %d of %s-%d: %s", name, record.offset(), record.topic(),
                record.partition(), reason);
        if (envelope != null) {
            PendingCall call = pending.get(envelope.callId());
            if (call != null) {
                call.completeExceptionally(new IllegalArgumentException(reason));
            }
        }
    }

    /**
     * @return the immortal's bean instance itself (not its client proxy), created if needed
     */
    Object bean() {
        InjectableBean<?> bean = Arc.container().bean(beanId);
        return ClientProxy.unwrap(Arc.container().instance(bean).get());
    }

    void changeStatus(Status next, String detail) {
        synchronized (statusMonitor) {
            if (status == Status.STOPPED || (status == Status.FENCED && next != Status.STOPPED)) {
                return;
            }
            status = next;
            statusDetail = detail;
            statusMonitor.notifyAll();
        }
    }

    void abandonPending(String reason) {
        PendingCall.Abandoned abandoned = new PendingCall.Abandoned(reason);
        for (PendingCall call : pending.values()) {
            if (call.offset >= 0) {
                call.completeExceptionally(abandoned);
            }
        }
    }
}
