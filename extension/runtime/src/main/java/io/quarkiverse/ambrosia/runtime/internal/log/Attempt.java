package io.quarkiverse.ambrosia.runtime.internal.log;

import java.util.concurrent.Future;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.producer.RecordMetadata;

import io.quarkiverse.ambrosia.ImmortalOverloadedException;
import io.quarkiverse.ambrosia.ImmortalPendingException;
import io.quarkiverse.ambrosia.runtime.internal.answer.AcceptedCall;
import io.quarkiverse.ambrosia.runtime.internal.answer.Outcomes;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;

/**
 * A call being recorded and run: registered as pending and counted in flight until {@link #finish}.
 */
final class Attempt {

    final Request request;
    final PendingCall call;
    final long sent = System.nanoTime();
    final long deadline;
    final long appendDeadline;
    private final CallRecorder recorder;

    /**
     * @throws ImmortalOverloadedException if too many calls already wait for the immortal
     */
    Attempt(CallRecorder recorder, Request request) {
        this.recorder = recorder;
        this.request = request;
        this.call = new PendingCall(request.partition(), request.handler());
        this.deadline = sent + recorder.callTimeout().toNanos();
        this.appendDeadline = sent + recorder.appender().timeout().toNanos();
        if (!recorder.inFlight().tryAcquire()) {
            throw new ImmortalOverloadedException("Call to " + request.handler().qualifiedName + " not recorded: "
                    + recorder.maxInFlight() + " calls are already waiting for immortal " + recorder.immortal()
                    + " (quarkus.ambrosia.max-in-flight)");
        }
        recorder.pending().add(request.callId(), call);
        if (request.options().respondAsync()) {
            recorder.outcomes(request.partition()).accepted(request.key());
        }
    }

    Future<RecordMetadata> send(BiConsumer<Long, Exception> acknowledged) {
        // a call whose answer may come from another instance is not abandoned when this one does not run it
        return recorder.appender().send(request.handler(), request.impulse(), request.partition(),
                request.replyTo() == null ? recorder.status(request.partition()) : null, call, acknowledged);
    }

    /**
     * @return what to answer a call recorded but not run within the call timeout
     */
    Exception notRunInTime() {
        String key = request.key();
        Handler handler = request.handler();
        if (key != null && handler.definition.isEndpoint()) {
            // a keyed request's outcome can be fetched later: answer where, rather than that it is pending
            Outcomes outcomes = recorder.outcomes(request.partition());
            outcomes.accepted(key);
            if (outcomes.kept(key) != null) {
                // it ran meanwhile, and the dispatcher found nothing to remove
                outcomes.notAccepted(key);
            }
            return new AcceptedCall(recorder.immortal(), key, request.partition(), call.offset, false);
        }
        return new ImmortalPendingException("Call to " + handler.qualifiedName + " was recorded at offset "
                + call.offset + " of " + recorder.appender().logTopic() + " but did not run within "
                + recorder.callTimeout() + " (immortal " + recorder.immortal() + " is "
                + recorder.status(request.partition()).state().display() + "); it will run exactly once", call.offset);
    }

    /** Ends the call for its caller: where it was recorded goes with the answer, its place in flight is freed. */
    void finish() {
        request.recorded(call.offset);
        recorder.pending().remove(request.callId());
        recorder.inFlight().release();
        if (request.options().respondAsync() && call.offset < 0) {
            recorder.outcomes(request.partition()).notAccepted(request.key());
        }
    }
}
