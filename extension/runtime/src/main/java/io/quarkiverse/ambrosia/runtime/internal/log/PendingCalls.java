package io.quarkiverse.ambrosia.runtime.internal.log;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The callers on this instance waiting for their calls to an immortal to be recorded and run, by call id: registered
 * by the caller, completed by the dispatcher when it runs the call (or by the append's failure).
 */
public final class PendingCalls {

    private final Map<String, PendingCall> pending = new ConcurrentHashMap<>();

    void add(String callId, PendingCall call) {
        pending.put(callId, call);
    }

    void remove(String callId) {
        pending.remove(callId);
    }

    /**
     * @return the caller waiting for the call of that id on this instance, or {@code null}
     */
    public PendingCall get(String callId) {
        return pending.get(callId);
    }

    /**
     * Completes the recorded calls this instance will not run: they run exactly once wherever the immortal recovers.
     */
    public void abandon(String reason) {
        abandon(reason, -1);
    }

    /**
     * Abandons the recorded calls of one partition ({@code -1}: of all) that its task will not run here.
     */
    public void abandon(String reason, int partition) {
        PendingCall.Abandoned abandoned = new PendingCall.Abandoned(reason);
        for (PendingCall call : pending.values()) {
            if (call.offset >= 0 && (partition < 0 || call.partition == partition)) {
                call.completeExceptionally(abandoned);
            }
        }
    }

    /**
     * Ends the asynchronous calls that waited too long.
     *
     * @return whether any asynchronous call is pending
     */
    public boolean checkAsyncCalls(long nowNanos) {
        boolean any = false;
        for (PendingCall call : pending.values()) {
            AsyncCall async = call.async;
            if (async != null) {
                any = true;
                async.check(nowNanos);
            }
        }
        return any;
    }
}
