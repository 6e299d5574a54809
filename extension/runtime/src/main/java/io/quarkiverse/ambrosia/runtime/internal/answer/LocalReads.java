package io.quarkiverse.ambrosia.runtime.internal.answer;

import java.time.Duration;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

import jakarta.interceptor.InvocationContext;

import io.quarkiverse.ambrosia.ImmortalUnavailableException;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalType;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.task.TaskState;
import io.quarkiverse.ambrosia.runtime.internal.task.TaskStatus;

/**
 * The read-only path: a {@code @ReadOnly} method runs on its caller's thread, between two logged calls, under the
 * read lock of the task that runs its partition (its key's, for a keyed immortal), once recovery has caught up;
 * nothing is recorded. With a minimum offset (the caller's own last call, {@code Ambrosia-Min-Offset}, an offset of
 * that partition) it waits until the task has processed it.
 */
public final class LocalReads {

    private final ImmortalType type;
    private final String immortal;
    private final String logTopic;
    private final IntFunction<PartitionTask> tasks;
    private final Duration timeout;
    private final BooleanSupplier ownershipCurrent;
    // the @ReadOnly method this thread runs under the read lock, to name it if it makes a logged call here
    private final ThreadLocal<Handler> reading = new ThreadLocal<>();

    /**
     * @param tasks the task of a partition of the log, by partition
     * @param ownershipCurrent whether this instance's ownership of the partitions it runs is confirmed now: if not (it
     *        was paused past its lease, or is rejoining the group), its local state may be stale, and reads of a keyed
     *        immortal are forwarded as if another instance ran the key
     */
    public LocalReads(ImmortalType type, String logTopic, IntFunction<PartitionTask> tasks, Duration timeout,
            BooleanSupplier ownershipCurrent) {
        this.type = type;
        this.ownershipCurrent = ownershipCurrent;
        this.immortal = type.name();
        this.logTopic = logTopic;
        this.tasks = tasks;
        this.timeout = timeout;
    }

    /** Records a read of a key that another instance runs, and waits for that instance's answer. */
    public interface Forward {
        Object call(Handler handler, Object[] arguments) throws Exception;
    }

    /**
     * @param minOffset the log offset the read must include, or -1
     * @param forward where a read of a key run by another instance goes: recorded in the log like a call, and run by
     *        the key's owner in log order
     */
    public Object read(Handler handler, InvocationContext context, long minOffset, Forward forward) throws Exception {
        Object[] arguments = context.getParameters();
        PartitionTask task = tasks.apply(type.partitionOf(handler, arguments));
        TaskStatus status = task.status();
        if (type.keyed() && (status.state() == TaskState.ELSEWHERE || !ownershipCurrent.getAsBoolean())) {
            // linearizable: the owner runs it after every record before it in the key's partition
            return forward.call(handler, arguments);
        }
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
        Handler outer = reading.get();
        reading.set(handler);
        try {
            // a keyed immortal's read runs on its key's instance (a fresh one for a key never called)
            return handler.copyResult(type.keyed()
                    ? handler.invoke(task.state().readInstance(handler.keyOf(arguments)), arguments)
                    : context.proceed());
        } finally {
            if (outer == null) {
                reading.remove();
            } else {
                reading.set(outer);
            }
            lock.unlock();
        }
    }

    /**
     * Refuses a logged call from a {@code @ReadOnly} method of this immortal: the method holds the read lock, and the
     * dispatcher needs the write lock to run the call, so the call would wait until its timeout, and the dispatcher
     * (with every other caller) until the read gave up.
     *
     * @throws IllegalStateException if this thread runs a read-only method of this immortal
     */
    public void refuseLoggedCall(Handler handler) {
        if (reading.get() != null) {
            Handler reader = reading.get();
            throw new IllegalStateException("Immortal " + immortal + ": @ReadOnly method "
                    + (reader == null ? "?" : reader.qualifiedName) + " calls " + handler.qualifiedName + ", a logged"
                    + " method of the same immortal: a read-only method may only read (it holds the immortal's read"
                    + " lock, and the dispatcher cannot run the call until it is released); make the call from the"
                    + " caller instead");
        }
    }
}
