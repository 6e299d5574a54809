package io.quarkiverse.ambrosia.runtime.internal.task;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A partition task's state and how far it processed its log: written by its dispatcher thread (and by the instance
 * stopping it), read by callers, reads, health checks and metrics. {@link #change} is the one place the state changes.
 */
public final class TaskStatus {

    private final Object monitor = new Object();
    private volatile TaskState state;
    private volatile String detail;
    private volatile long processedOffset = -1;
    // how many reads wait on the monitor until a given offset has been processed (read-your-writes)
    private final AtomicInteger progressWaiters = new AtomicInteger();

    public TaskStatus() {
        this(TaskState.RECOVERING, "starting");
    }

    public TaskStatus(TaskState initial, String detail) {
        this.state = initial;
        this.detail = detail;
    }

    public TaskState state() {
        return state;
    }

    public String detail() {
        return detail;
    }

    /**
     * @return the offset of the last log record processed, or -1
     */
    public long processedOffset() {
        return processedOffset;
    }

    /**
     * Changes the state, and wakes whoever waits for a change.
     *
     * @return {@code false} if the task is {@link TaskState#STOPPED}: the instance stopped it, and its dispatcher thread,
     *         which may still be winding down, changes nothing any more
     * @throws IllegalStateException for a change {@link TaskState#next()} does not allow
     */
    public boolean change(TaskState next, String newDetail) {
        synchronized (monitor) {
            TaskState current = state;
            if (current == TaskState.STOPPED) {
                return false;
            }
            if (!current.next().contains(next)) {
                throw new IllegalStateException("a task that is " + current.display() + " (" + detail + ") cannot become "
                        + next.display() + " (" + newDetail + ")");
            }
            state = next;
            detail = newDetail;
            monitor.notifyAll();
            return true;
        }
    }

    /**
     * Notes that the record at {@code offset} was processed; wakes the reads that wait for it (paying for a
     * notification only while one waits).
     */
    public void processed(long offset) {
        processedOffset = offset;
        if (progressWaiters.get() > 0) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    /**
     * Waits until the record at {@code offset} was processed or the task is no longer live, up to {@code timeout}.
     *
     * @return whether it was processed
     */
    public boolean awaitProcessed(long offset, Duration timeout) throws InterruptedException {
        progressWaiters.incrementAndGet();
        try {
            await(() -> processedOffset >= offset || state != TaskState.LIVE, timeout);
        } finally {
            progressWaiters.decrementAndGet();
        }
        return processedOffset >= offset;
    }

    /**
     * Waits until the task is no longer recovering, up to {@code timeout}.
     *
     * @return whether it is live
     */
    public boolean awaitLive(Duration timeout) throws InterruptedException {
        if (state == TaskState.LIVE) {
            return true;
        }
        await(() -> state != TaskState.RECOVERING, timeout);
        return state == TaskState.LIVE;
    }

    private void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
        }
    }

    /**
     * @return the state for humans, with its detail unless live
     */
    public String describe() {
        TaskState current = state;
        return current.display() + (current == TaskState.LIVE ? "" : ": " + detail);
    }
}
