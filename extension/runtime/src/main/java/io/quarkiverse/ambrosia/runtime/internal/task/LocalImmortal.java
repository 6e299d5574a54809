package io.quarkiverse.ambrosia.runtime.internal.task;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;

import jakarta.interceptor.InvocationContext;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jboss.logging.Logger;

import io.quarkiverse.ambrosia.ImmortalException;
import io.quarkiverse.ambrosia.runtime.AmbrosiaConfig;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.answer.Answer;
import io.quarkiverse.ambrosia.runtime.internal.answer.LocalReads;
import io.quarkiverse.ambrosia.runtime.internal.answer.Outcome;
import io.quarkiverse.ambrosia.runtime.internal.answer.OutcomeQueries;
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
import io.quarkiverse.ambrosia.runtime.internal.log.PendingCall;
import io.quarkiverse.ambrosia.runtime.internal.log.PendingCalls;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalType;
import io.quarkiverse.ambrosia.runtime.internal.model.KeyInstances;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;

/**
 * One immortal on this application instance: the partition tasks of its log (one for a singleton, one per partition
 * for a keyed immortal) and the stages around them, wired together. What the rest of the extension (the interceptor,
 * REST, health checks, metrics, the scheduler) sees of an immortal.
 */
public final class LocalImmortal {

    private static final Logger LOG = Logger.getLogger(LocalImmortal.class);

    private final ImmortalType type;
    private final TopicNames names;
    // the partitions of the log, each run here or a stand-in for one that another instance runs
    private final AtomicReferenceArray<LocalPartition> partitions;
    private final KeyInstances instances;
    private final PendingCalls pending = new PendingCalls();
    private final CallRecorder recorder;
    private final LocalReads reads;
    private final OutcomeQueries queries;
    private final CallSender sender;
    private final ImmortalRuntime runtime;
    private volatile boolean topicsEnsured;
    private volatile PartitionOwnership ownership;
    private final DispatcherPool dispatchers;

    public LocalImmortal(ImmortalType type, ImmortalRuntime runtime) {
        AmbrosiaConfig config = runtime.config();
        this.type = type;
        this.runtime = runtime;
        this.names = new TopicNames(config.topicPrefix(), type.name());
        this.partitions = new AtomicReferenceArray<>(type.partitions());
        this.instances = type.keyed() ? new KeyInstances(type.beanClass(), type::bean) : null;
        for (int p = 0; p < partitions.length(); p++) {
            // a singleton's one partition is run here; a keyed immortal's, once the group assigns them here
            partitions.set(p, type.keyed() ? LocalPartition.elsewhere(this, p) : newPartition(p));
        }
        Appender appender = new Appender(type.name(), names.log(), runtime::appendProducer, config.appendTimeout());
        this.recorder = new CallRecorder(type.name(), runtime, appender, pending, new LogPartitions() {
            @Override
            public int partitionOf(Handler handler, Object[] arguments) {
                return type.partitionOf(handler, arguments);
            }

            @Override
            public TaskStatus status(int partition) {
                return partitions.get(partition).task().status();
            }

            @Override
            public Outcomes outcomes(int partition) {
                return partitions.get(partition).outcomes();
            }
        });
        this.queries = new OutcomeQueries(type.name(), appender, runtime::answerTopic, config.callTimeout());
        this.reads = new LocalReads(type, names.log(), p -> partitions.get(p).task(), config.callTimeout(),
                () -> ownership == null || ownership.current());
        this.sender = new CallSender(names, config.calls().timeout(), type.keyed());
        this.dispatchers = new DispatcherPool(type, runtime, names.group());
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

    private LocalPartition newPartition(int partition) {
        PartitionState state = type.keyed()
                ? new KeyedState(runtime.stateCodec(), type.beanClass(), instances)
                : new BeanState(runtime.stateCodec(), type.beanClass(), type::bean);
        return new LocalPartition(this, partition, state, runtime.config().calls().maxOutstanding());
    }

    private List<PartitionTask> tasks() {
        List<PartitionTask> tasks = new ArrayList<>(partitions.length());
        for (int p = 0; p < partitions.length(); p++) {
            tasks.add(partitions.get(p).task());
        }
        return tasks;
    }

    /**
     * @return the tasks of the partitions this instance runs
     */
    private List<PartitionTask> owned() {
        return tasks().stream().filter(t -> t.status().state() != TaskState.ELSEWHERE).toList();
    }

    /**
     * @return whether this instance has recovered every partition of the immortal it runs, and processes them
     */
    public boolean isLive() {
        if (ownership != null && !ownership.joined()) {
            return false;
        }
        for (PartitionTask task : owned()) {
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
        if (!type.keyed()) {
            return describe(partitions.get(0).task());
        }
        List<PartitionTask> owned = owned();
        List<String> notLive = new ArrayList<>();
        for (PartitionTask task : owned) {
            if (task.status().state() != TaskState.LIVE || task.checkpointHealth().failing() != null) {
                notLive.add("partition " + task.partition() + ": " + describe(task));
            }
        }
        if (ownership != null && !ownership.joined()) {
            return "joining the group " + names.owners() + " that shares its " + partitions.length() + " partitions";
        }
        String runs = owned.isEmpty()
                ? "runs none of its " + partitions.length() + " partitions here"
                : "runs partitions " + owned.stream().map(t -> Integer.toString(t.partition()))
                        .collect(Collectors.joining(", ")) + " of " + partitions.length() + " here";
        return (notLive.isEmpty() ? "live; " : "") + runs + (notLive.isEmpty() ? "" : "; " + String.join("; ", notLive));
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
        for (PartitionTask task : owned()) {
            CheckpointHealth.Failing failing = task.checkpointHealth().failing();
            if (failing != null) {
                return (type.keyed() ? "partition " + task.partition() + ": " : "") + failing.describe();
            }
        }
        return null;
    }

    /**
     * @return how many checkpoints could not be written since this application started, over all partitions
     */
    public long failedCheckpoints() {
        long failed = 0;
        for (PartitionTask task : tasks()) {
            failed += task.checkpointHealth().failedCheckpoints();
        }
        return failed;
    }

    /**
     * @return how many log records were processed after the newest checkpoints, over all partitions
     */
    public long recordsSinceCheckpoint() {
        long records = 0;
        for (PartitionTask task : owned()) {
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
        return reads.read(handler, context, runtime.callOptions().minOffset(), recorder::call);
    }

    /** A call from the handler running now to another immortal ({@link CallSender}). */
    public Object callImmortal(String targetImmortal, Handler target, Object[] arguments) {
        return sender.call(targetImmortal, target, arguments);
    }

    /**
     * @param partition the partition of the log whose task keeps the outcome (0 for a singleton)
     * @return the outcome of the call recorded with that idempotency key: kept here, or, for a partition another
     *         instance runs (or that this instance's lease no longer vouches for), asked of that instance through the
     *         log ({@link OutcomeQueries})
     * @throws IllegalArgumentException if the immortal has no such partition
     * @throws io.quarkiverse.ambrosia.ImmortalUnavailableException if the instance running the partition did not answer
     */
    public Outcome awaitOutcome(String key, int partition, Duration wait) throws InterruptedException {
        if (partition < 0 || partition >= partitions.length()) {
            throw new IllegalArgumentException("immortal " + type.name() + " has " + partitions.length() + " partition"
                    + (partitions.length() == 1 ? "" : "s") + ", not a partition " + partition);
        }
        LocalPartition local = partitions.get(partition);
        if (type.keyed() && (local.task().status().state() == TaskState.ELSEWHERE
                || (ownership != null && !ownership.current()))) {
            return queries.fetch(key, partition, wait);
        }
        return local.outcomes().await(key, wait);
    }

    /**
     * An answer from the instance that ran a call recorded here, or that answered an outcome query: completes its
     * caller, if one still waits.
     *
     * @param outcome the answer's {@code outcome} header
     */
    public void answered(String callId, String outcome, Answer answer) {
        if (queries.answered(callId, outcome, answer)) {
            return;
        }
        PendingCall call = pending.get(callId);
        if (call == null || call.isDone() || call.handler == null) {
            return;
        }
        call.recordedAt(answer.offset());
        if (answer.failed()) {
            call.completeExceptionally(StoredFailures.rebuild(answer.error(), answer.errorType(), answer.errorMessage()));
            return;
        }
        try {
            call.complete(call.handler.decodeResult(answer.result(), answer.status(), answer.headers()));
        } catch (Exception e) {
            call.completeExceptionally(new ImmortalException("The answer to call " + callId + " of "
                    + call.handler.qualifiedName + " does not decode: " + e.getMessage(), e));
        }
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
                    Topics.ensure(runtime.admin(), type.name(), names.log(), names.checkpoints(), partitions.length(),
                            LocalPartition.replicationFactor(runtime.config()), timeout);
                } catch (Topics.PartitionCountMismatchException e) {
                    throw LocalPartition.mismatch(e);
                }
                topicsEnsured = true;
            }
        }
    }

    /**
     * Starts the dispatcher of a singleton's partition, or joins the group that shares a keyed immortal's partitions
     * among the application's instances.
     */
    public void start() {
        if (!type.keyed()) {
            partitions.get(0).start(runtime, pending, dispatchers.next());
            return;
        }
        AmbrosiaConfig config = runtime.config();
        ownership = new PartitionOwnership(type.name(), names.log(), new KafkaConsumer<>(runtime.clients().membership(
                "ambrosia-owner-" + type.name(), names.owners(), config.group().sessionTimeout(),
                config.group().heartbeatInterval(), config.instanceId().orElse(null))), new PartitionOwnership.Tasks() {
                    @Override
                    public void assigned(int partition) {
                        LocalPartition started = newPartition(partition);
                        partitions.getAndSet(partition, started).stop("replaced by a task of this instance");
                        started.start(runtime, pending, dispatchers.next());
                    }

                    @Override
                    public void revoked(int partition, boolean lost) {
                        release(partition, lost ? "lost" : "revoked");
                    }

                    @Override
                    public boolean running(int partition) {
                        return partitions.get(partition).task().status().state() != TaskState.ELSEWHERE;
                    }

                    @Override
                    public void suspendAll() {
                        for (int p = 0; p < partitions.length(); p++) {
                            if (running(p)) {
                                release(p, "suspended until the group says which partitions are still here");
                            }
                        }
                    }
                }, config.group().sessionTimeout(), config.group().heartbeatInterval());
        try {
            // the topics exist before the first member subscribes to the log
            ensureTopics(Duration.ofSeconds(60));
        } catch (Exception e) {
            LOG.warnf("Immortal %s: creating its topics failed (%s); the partitions' tasks try again", type.name(),
                    e.getMessage());
        }
        ownership.start();
    }

    private void release(int partition, String why) {
        partitions.getAndSet(partition, LocalPartition.elsewhere(this, partition)).stop(why);
    }

    /**
     * A task's dispatcher ended for good. A keyed partition's task fenced by another instance's leaves its slot to a
     * stand-in (that instance runs the partition now), and the group is asked to confirm who owns what.
     */
    void ended(LocalPartition ended, TaskState state) {
        int partition = ended.task().partition();
        if (type.keyed() && state == TaskState.FENCED
                && partitions.compareAndSet(partition, ended, LocalPartition.elsewhere(this, partition))) {
            PartitionOwnership current = ownership;
            if (current != null) {
                current.reconcile();
            }
        }
    }

    public void stop() {
        if (ownership != null) {
            ownership.stop();
        }
        for (int p = 0; p < partitions.length(); p++) {
            partitions.get(p).stop("stopped");
        }
        dispatchers.stop();
        pending.abandon("this application instance stopped before running it");
    }
}
