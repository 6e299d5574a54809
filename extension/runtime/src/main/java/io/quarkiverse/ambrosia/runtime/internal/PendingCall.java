package io.quarkiverse.ambrosia.runtime.internal;

import java.util.concurrent.CompletableFuture;

/**
 * A caller waiting for the dispatcher to run its call.
 */
final class PendingCall extends CompletableFuture<Object> {

    /** Where the call was recorded, once the append is acknowledged. */
    volatile long offset = -1;

    /**
     * Completes a call the dispatcher will not run here (it stopped, or another instance owns the immortal now).
     */
    static final class Abandoned extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Abandoned(String reason) {
            super(reason, null, false, false);
        }
    }
}
