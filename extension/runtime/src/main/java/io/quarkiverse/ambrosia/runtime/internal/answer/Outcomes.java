package io.quarkiverse.ambrosia.runtime.internal.answer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.quarkiverse.ambrosia.IdempotencyKeyReusedException;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.task.TaskState;

/**
 * The answers to keyed calls: given again from the outcome table to a retry, and fetched by key (the {@code Location}
 * of a call answered 202). Knows which keys were recorded here and not run yet, so a fetch can tell "still running"
 * from "unknown".
 */
public final class Outcomes {

    private final PartitionTask task;
    private final String logTopic;
    // keys of calls answered 202 here and not run yet; and a monitor to wait for outcomes on
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Object monitor = new Object();

    public Outcomes(PartitionTask task, String logTopic) {
        this.task = task;
        this.logTopic = logTopic;
    }

    /**
     * @return the outcome kept for a key, or {@code null}; not under the state lock, which the dispatcher holds while a
     *         handler runs
     */
    public ImpulseTable.Entry kept(String key) {
        return task.impulses().get(key);
    }

    public void accepted(String key) {
        accepted.add(key);
    }

    public void notAccepted(String key) {
        accepted.remove(key);
    }

    /**
     * The key's outcome is in the table now: wakes whoever waits for it.
     */
    public void stored(String key) {
        accepted.remove(key);
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /**
     * @return the recorded result of a keyed call made before
     * @throws Exception the exception it threw, or {@link IdempotencyKeyReusedException} for another request
     */
    public Object replay(Handler handler, ImpulseTable.Entry done, String requestHash) throws Exception {
        if (!done.requestHash().equals(requestHash)) {
            throw new IdempotencyKeyReusedException("Idempotency key '" + done.key() + "' was used at offset "
                    + done.offset() + " of " + logTopic + " for another request (another method or other arguments)");
        }
        if (done.failed()) {
            throw StoredFailures.rebuild(done.error(), done.errorType(), done.errorMessage());
        }
        return handler.decodeResult(done.result(), done.status(), done.headers());
    }

    /**
     * @return the outcome of the call recorded with that key, waiting up to {@code wait} for it to run
     */
    public Outcome await(String key, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (monitor) {
            while (true) {
                ImpulseTable.Entry done = kept(key);
                if (done != null) {
                    return done.failed()
                            ? new Outcome(Outcome.State.FAILED, null,
                                    StoredFailures.rebuild(done.error(), done.errorType(), done.errorMessage()))
                            : new Outcome(Outcome.State.DONE, done.result(), null, done.status(), done.headers());
                }
                // recorded here and not run yet, or recovering (a recorded call is run before the immortal is live)
                boolean running = accepted.contains(key) || task.status().state() == TaskState.RECOVERING;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Outcome(running ? Outcome.State.RUNNING : Outcome.State.UNKNOWN, null, null);
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
        }
    }
}
