package io.quarkiverse.ambrosia.runtime.internal.log;

import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.quarkiverse.ambrosia.runtime.internal.task.LocalImmortal;

/**
 * Times out the asynchronous calls of every immortal of the instance: every tenth of the shorter of the append and
 * call timeouts (10 ms to 1 s), while any asynchronous call is pending. Cheaper than a timer per call.
 */
public final class AsyncCallSweep {

    private final Collection<LocalImmortal> immortals;
    private final Supplier<ScheduledExecutorService> timers;
    private final long periodMillis;
    private final AtomicBoolean sweeping = new AtomicBoolean();

    public AsyncCallSweep(Collection<LocalImmortal> immortals, Supplier<ScheduledExecutorService> timers,
            long appendTimeoutMillis, long callTimeoutMillis) {
        this.immortals = immortals;
        this.timers = timers;
        this.periodMillis = Math.max(10, Math.min(1000, Math.min(appendTimeoutMillis, callTimeoutMillis) / 10));
    }

    /**
     * Makes sure the sweep runs.
     */
    public void ensureRunning() {
        if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
            timers.get().schedule(this::sweep, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        boolean any = false;
        long now = System.nanoTime();
        for (LocalImmortal immortal : immortals) {
            any |= immortal.checkAsyncCalls(now);
        }
        if (any) {
            timers.get().schedule(this::sweep, periodMillis, TimeUnit.MILLISECONDS);
            return;
        }
        sweeping.set(false);
        // a call that started after the loop above and saw the sweep still on must not wait unswept
        for (LocalImmortal immortal : immortals) {
            if (immortal.checkAsyncCalls(now)) {
                ensureRunning();
                return;
            }
        }
    }
}
