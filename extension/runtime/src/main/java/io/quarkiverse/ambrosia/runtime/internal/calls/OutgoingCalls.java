package io.quarkiverse.ambrosia.runtime.internal.calls;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A task's calls to other immortals that wait for replies, and its handlers whose {@code Uni} or
 * {@code CompletionStage} has not completed. Both are empty at a checkpoint, which is taken only where the task is
 * {@link #quiescent()}.
 */
public final class OutgoingCalls {

    // read by the timeout timer thread
    private final Map<String, Outstanding> outstanding = new ConcurrentHashMap<>();
    private int openInvocations;

    public boolean quiescent() {
        return outstanding.isEmpty() && openInvocations == 0;
    }

    public int size() {
        return outstanding.size();
    }

    public void add(Outstanding call) {
        outstanding.put(call.callId, call);
    }

    /**
     * @return the call the reply or timeout answers, no longer outstanding, its timer cancelled; or {@code null}
     */
    public Outstanding answered(String callId) {
        Outstanding call = outstanding.remove(callId);
        if (call != null) {
            call.cancelTimer();
        }
        return call;
    }

    /**
     * @return whether the call still waits (its timeout is recorded only then)
     */
    public boolean waiting(Outstanding call) {
        return outstanding.get(call.callId) == call;
    }

    Collection<Outstanding> all() {
        return outstanding.values();
    }

    public void invocationOpened() {
        openInvocations++;
    }

    public void invocationClosed() {
        openInvocations--;
    }

    /**
     * Forgets every call in flight (a restore): their replies, if any come, are for a state that no longer exists.
     */
    public void clear() {
        for (Outstanding call : outstanding.values()) {
            call.cancelTimer();
        }
        outstanding.clear();
        openInvocations = 0;
    }
}
