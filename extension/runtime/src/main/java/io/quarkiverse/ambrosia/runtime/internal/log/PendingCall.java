package io.quarkiverse.ambrosia.runtime.internal.log;

import java.util.concurrent.CompletableFuture;

import io.quarkiverse.ambrosia.runtime.internal.model.Handler;

/**
 * A caller waiting for its call to be recorded and run: completed by the dispatcher with the call's outcome, or by the
 * append's failure. The caller waits for this alone, so it is woken once per call.
 */
public final class PendingCall extends CompletableFuture<Object> {

    /** Where the call was recorded, once the append is acknowledged or the dispatcher has run it. */
    public volatile long offset = -1;

    /** The partition of the log the call is appended to. */
    final int partition;

    /** The method called, whose result an answer from another instance is decoded as; {@code null} in tests. */
    public final Handler handler;

    /** For a caller that does not wait: what completes its result; {@code null} for a caller waiting on this. */
    public volatile AsyncCall async;

    /**
     * Sets where the call was recorded: from the append's acknowledgement, or from the dispatcher, whichever comes
     * first (the dispatcher reads only acknowledged records, but its answer may reach the caller first).
     */
    public PendingCall() {
        this(0, null);
    }

    public PendingCall(int partition, Handler handler) {
        this.partition = partition;
        this.handler = handler;
    }

    public void recordedAt(long recorded) {
        offset = recorded;
    }

    /**
     * Completes a call the dispatcher will not run here (it stopped, or another instance owns the immortal now).
     */
    public static final class Abandoned extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public Abandoned(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Completes a call whose append failed: its cause is the producer's exception.
     */
    public static final class AppendFailed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public AppendFailed(Exception cause) {
            super(null, cause, false, false);
        }
    }
}
