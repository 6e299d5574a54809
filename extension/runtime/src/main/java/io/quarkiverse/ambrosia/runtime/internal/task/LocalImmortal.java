package io.quarkiverse.ambrosia.runtime.internal.task;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.interceptor.InvocationContext;

import io.quarkiverse.ambrosia.runtime.AmbrosiaConfig;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.answer.LocalReads;
import io.quarkiverse.ambrosia.runtime.internal.answer.Outcome;
import io.quarkiverse.ambrosia.runtime.internal.answer.Outcomes;
import io.quarkiverse.ambrosia.runtime.internal.calls.CallSender;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.BeanState;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointHealth;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.KeyedState;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.PartitionState;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TopicNames;
import io.quarkiverse.ambrosia.runtime.internal.kafka.Topics;
import io.quarkiverse.ambrosia.runtime.internal.log.Appender;
import io.quarkiverse.ambrosia.runtime.internal.log.CallRecorder;
import io.quarkiverse.ambrosia.runtime.internal.log.LogPartitions;
import io.quarkiverse.ambrosia.runtime.internal.log.PendingCalls;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalType;
import io.quarkiverse.ambrosia.runtime.internal.model.KeyInstances;

/**
 * One immortal on this application instance: the partition tasks of its log (one for a singleton, one per partition
 * for a keyed immortal) and the stages around them, wired together. What the rest of the extension (the interceptor,
 * REST, health checks, metrics, the scheduler) sees of an immortal.
 */
public final class LocalImmortal {

    private final ImmortalType type;
    private final TopicNames names;
    private final LocalPartition[] partitions;
    private final PartitionTask[] tasks;
    private final PendingCalls pending = new PendingCalls();
    private final CallRecorder recorder;
    private final LocalReads reads;
    private final CallSender sender;
    private final ImmortalRuntime runtime;
    private volatile boolean topicsEnsured;

    public LocalImmortal(ImmortalType type, ImmortalRuntime runtime) {
        AmbrosiaConfig config = runtime.config();
        this.type = type;
        this.runtime = runtime;
        this.names = new TopicNames(config.topicPrefix(), type.name());
        this.partitions = new LocalPartition[type.partitions()];
        this.tasks = new PartitionTask[partitions.length];
        KeyInstances instances = type.keyed() ? new KeyInstances(type.beanClass(), type::bean) : null;
        for (int p = 0; p < partitions.length; p++) {
            PartitionState state = type.keyed()
                    ? new KeyedState(runtime.stateCodec(), type.beanClass(), instances)
                    : new BeanState(runtime.stateCodec(), type.beanClass(), type::bean);
            partitions[p] = new LocalPartition(this, p, state, config.calls().maxOutstanding());
            tasks[p] = partitions[p].task();
        }
        Appender appender = new Appender(type.name(), names.log(), runtime::appendProducer, config.appendTimeout());
        this.recorder = new CallRecorder(type.name(), runtime, appender, pending, new LogPartitions() {
            @Override
            public int partitionOf(Handler handler, Object[] arguments) {
                return type.partitionOf(handler, arguments);
            }

            @Override
            public TaskStatus status(int partition) {
                return tasks[partition].status();
            }

            @Override
            public Outcomes outcomes(int partition) {
                return partitions[partition].outcomes();
            }
        });
        this.reads = new LocalReads(type, names.log(), tasks, config.callTimeout());
        this.sender = new CallSender(names, config.calls().timeout(), type.keyed());
    }

    public String name() {
        return type.name();
    }

    public ImmortalType type() {
        return type;
    }

    TopicNames names() {
        return names;
    }

    /**
     * @return whether this instance has recovered every partition of the immortal and processes its log
     */
    public boolean isLive() {
        for (PartitionTask task : tasks) {
            if (task.status().state() != TaskState.LIVE) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the status for humans: live, recovering, fenced, failed or stopped, with details (per partition for a
     *         keyed immortal whose partitions are not all live)
     */
    public String describeStatus() {
        if (tasks.length == 1) {
            return describe(tasks[0]);
        }
        List<String> notLive = new ArrayList<>();
        for (PartitionTask task : tasks) {
            if (task.status().state() != TaskState.LIVE || task.checkpointHealth().failing() != null) {
                notLive.add("partition " + task.partition() + ": " + describe(task));
            }
        }
        return notLive.isEmpty()
                ? "live (" + tasks.length + " partitions)"
                : (tasks.length - notLive.size()) + " of " + tasks.length + " partitions live; " + String.join("; ", notLive);
    }

    private static String describe(PartitionTask task) {
        CheckpointHealth.Failing failing = task.checkpointHealth().failing();
        long processed = task.status().processedOffset();
        return task.status().describe() + (failing == null ? "" : "; " + failing.describe())
                + (processed >= 0 ? " (processed up to offset " + processed + ")" : "");
    }

    /**
     * @return why checkpoints fail, for the first partition whose checkpoints do, or {@code null}
     */
    public String checkpointsFailing() {
        for (PartitionTask task : tasks) {
            CheckpointHealth.Failing failing = task.checkpointHealth().failing();
            if (failing != null) {
                return (tasks.length == 1 ? "" : "partition " + task.partition() + ": ") + failing.describe();
            }
        }
        return null;
    }

    /**
     * @return how many checkpoints could not be written since this application started, over all partitions
     */
    public long failedCheckpoints() {
        long failed = 0;
        for (PartitionTask task : tasks) {
            failed += task.checkpointHealth().failedCheckpoints();
        }
        return failed;
    }

    /**
     * @return how many log records were processed after the newest checkpoints, over all partitions
     */
    public long recordsSinceCheckpoint() {
        long records = 0;
        for (PartitionTask task : tasks) {
            records += task.recordsSinceCheckpoint();
        }
        return records;
    }

    public Handler handlerFor(Method method) {
        return type.handlerFor(method);
    }

    /**
     * Records a call in the log, then waits until it has run ({@link CallRecorder#call}); refused at once from a
     * {@code @ReadOnly} method of this immortal ({@link LocalReads#refuseLoggedCall}).
     */
    public Object call(Handler handler, Object[] arguments) throws Exception {
        reads.refuseLoggedCall(handler);
        return recorder.call(handler, arguments);
    }

    /** Records a call in the log and returns at once ({@link CallRecorder#callAsync}). */
    public CompletableFuture<Object> callAsync(Handler handler, Object[] arguments) {
        reads.refuseLoggedCall(handler);
        return recorder.callAsync(handler, arguments);
    }

    /** Runs a {@code ReadOnly} method on the caller's thread ({@link LocalReads}). */
    public Object read(Handler handler, InvocationContext context) throws Exception {
        return reads.read(handler, context, runtime.callOptions().minOffset());
    }

    /** A call from the handler running now to another immortal ({@link CallSender}). */
    public Object callImmortal(String targetImmortal, Handler target, Object[] arguments) {
        return sender.call(targetImmortal, target, arguments);
    }

    /**
     * @param partition the partition of the log whose task keeps the outcome (0 for a singleton)
     * @return the outcome of the call recorded with that idempotency key
     * @throws IllegalArgumentException if the immortal has no such partition
     */
    public Outcome awaitOutcome(String key, int partition, Duration wait) throws InterruptedException {
        if (partition < 0 || partition >= partitions.length) {
            throw new IllegalArgumentException("immortal " + type.name() + " has " + partitions.length + " partition"
                    + (partitions.length == 1 ? "" : "s") + ", not a partition " + partition);
        }
        return partitions[partition].outcomes().await(key, wait);
    }

    /** Ends the asynchronous calls that waited too long; run by the runtime's sweep while any is pending. */
    public boolean checkAsyncCalls(long nowNanos) {
        return pending.checkAsyncCalls(nowNanos);
    }

    /**
     * Creates the immortal's topics if needed, once for all its partitions.
     *
     * @throws io.quarkiverse.ambrosia.runtime.internal.recovery.RecoveryException if they exist with another partition
     *         count
     */
    void ensureTopics(Duration timeout) throws Exception {
        if (topicsEnsured) {
            return;
        }
        synchronized (this) {
            if (!topicsEnsured) {
                try {
                    Topics.ensure(runtime.admin(), type.name(), names.log(), names.checkpoints(), partitions.length,
                            LocalPartition.replicationFactor(runtime.config()), timeout);
                } catch (Topics.PartitionCountMismatchException e) {
                    throw LocalPartition.mismatch(e);
                }
                topicsEnsured = true;
            }
        }
    }

    /**
     * Starts the dispatcher of every partition.
     */
    public void start() {
        for (LocalPartition partition : partitions) {
            partition.start(runtime, pending);
        }
    }

    public void stop() {
        for (LocalPartition partition : partitions) {
            partition.stop();
        }
        pending.abandon("this application instance stopped before running it");
    }
}
