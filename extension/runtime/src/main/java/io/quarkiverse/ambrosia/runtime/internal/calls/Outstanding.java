package io.quarkiverse.ambrosia.runtime.internal.calls;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import io.quarkiverse.ambrosia.runtime.internal.model.Handler;

/**
 * A call to another immortal waiting for its reply; completes (on the dispatcher) when the reply or the timeout is
 * applied.
 */
public final class Outstanding extends CompletableFuture<Object> {

    public final String callId;
    public final Handler target;
    public final String principal;
    /** Epoch milliseconds: when the call was made, plus the call timeout. */
    public final long deadline;
    volatile ScheduledFuture<?> timer;

    public Outstanding(String callId, Handler target, String principal, long deadline) {
        this.callId = callId;
        this.target = target;
        this.principal = principal;
        this.deadline = deadline;
    }

    boolean armed() {
        return timer != null;
    }

    void cancelTimer() {
        ScheduledFuture<?> current = timer;
        if (current != null) {
            current.cancel(false);
        }
    }
}
