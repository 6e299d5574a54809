package io.quarkiverse.ambrosia.runtime.internal.answer;

import java.time.Duration;
import java.util.concurrent.locks.Lock;

import jakarta.interceptor.InvocationContext;

import io.quarkiverse.ambrosia.ImmortalUnavailableException;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.task.TaskStatus;

/**
 * The read-only path: a {@code @ReadOnly} method runs on its caller's thread, between two logged calls, under the
 * task's read lock, once recovery has caught up; nothing is recorded. With a minimum offset (the caller's own last
 * call, {@code Ambrosia-Min-Offset}) it waits until the task has processed it.
 */
public final class LocalReads {

    private final String immortal;
    private final String logTopic;
    private final PartitionTask task;
    private final Duration timeout;

    public LocalReads(String immortal, String logTopic, PartitionTask task, Duration timeout) {
        this.immortal = immortal;
        this.logTopic = logTopic;
        this.task = task;
        this.timeout = timeout;
    }

    /**
     * @param minOffset the log offset the read must include, or -1
     */
    public Object read(Handler handler, InvocationContext context, long minOffset) throws Exception {
        TaskStatus status = task.status();
        if (!status.awaitLive(timeout)) {
            throw new ImmortalUnavailableException("Cannot read " + handler.qualifiedName + ": immortal " + immortal
                    + " is " + status.state().display() + " on this instance (" + status.detail() + ")");
        }
        if (minOffset > status.processedOffset() && !status.awaitProcessed(minOffset, timeout)) {
            throw new ImmortalUnavailableException("Cannot read " + handler.qualifiedName + " as of offset " + minOffset
                    + " of " + logTopic + ": immortal " + immortal + " is " + status.state().display()
                    + " on this instance and has processed up to offset " + status.processedOffset() + " (waited up to "
                    + timeout + ")");
        }
        Lock lock = task.stateLock().readLock();
        lock.lock();
        try {
            return handler.copyResult(context.proceed());
        } finally {
            lock.unlock();
        }
    }
}
