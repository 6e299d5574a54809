package io.quarkiverse.ambrosia.runtime.internal.log;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkiverse.ambrosia.runtime.internal.answer.AcceptedCall;

/**
 * A call whose caller does not wait: settled once, by the dispatcher's outcome, the append's failure or
 * acknowledgement (for {@code respond-async}), or a timeout found by the sweep ({@link PendingCalls#checkAsyncCalls}).
 */
public final class AsyncCall {

    final CompletableFuture<Object> result = new CompletableFuture<>();
    private final CallRecorder recorder;
    private final Executor resume;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile Attempt attempt;

    AsyncCall(CallRecorder recorder, Executor resume) {
        this.recorder = recorder;
        this.resume = resume;
    }

    void start(Request request) {
        Attempt started;
        try {
            started = new Attempt(recorder, request);
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
                            ? recorder.appender().failure(request.handler(), failure)
                            : new AcceptedCall(recorder.immortal(), request.key(), request.partition(), offset,
                                    true)));
        } catch (RuntimeException e) {
            settle(null, e);
            return;
        }
        if (!respondAsync) {
            started.call.whenComplete((value, failure) -> settle(value,
                    failure == null ? null : outcomeOf(started, unwrap(failure))));
        }
        recorder.sweepAsyncCalls();
    }

    /** From the sweep: ends the call if its append or its run took too long. */
    void check(long now) {
        Attempt current = attempt;
        if (current == null || settled.get()) {
            return;
        }
        if (current.call.offset < 0) {
            if (now - current.appendDeadline >= 0) {
                settle(null, recorder.appender().timedOut(current.request.handler(), null));
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

    /** @return what the call's failure means to its caller, with an error passed on as it is */
    private Throwable outcomeOf(Attempt started, Throwable cause) {
        return cause instanceof Error error ? error : recorder.failed(started.request.handler(), started.call, cause);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
