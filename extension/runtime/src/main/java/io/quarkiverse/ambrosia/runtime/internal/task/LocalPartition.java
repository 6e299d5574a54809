package io.quarkiverse.ambrosia.runtime.internal.task;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.producer.KafkaProducer;

import io.quarkiverse.ambrosia.runtime.AmbrosiaConfig;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.answer.Outcomes;
import io.quarkiverse.ambrosia.runtime.internal.calls.CallTimeouts;
import io.quarkiverse.ambrosia.runtime.internal.calls.IncomingCalls;
import io.quarkiverse.ambrosia.runtime.internal.calls.ReplyApplier;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointSchedule;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointStore;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.Checkpointer;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.PartitionState;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.SystemStateCodec;
import io.quarkiverse.ambrosia.runtime.internal.commit.CommitPolicy;
import io.quarkiverse.ambrosia.runtime.internal.commit.OutputGuard;
import io.quarkiverse.ambrosia.runtime.internal.commit.TransactionCommitter;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.Admission;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.DispatcherThread;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerInvoker;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.RecordExecutor;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.TaskRunner;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TaskProducer;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TopicNames;
import io.quarkiverse.ambrosia.runtime.internal.log.PendingCalls;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalType;
import io.quarkiverse.ambrosia.runtime.internal.recovery.Recovery;
import io.quarkiverse.ambrosia.runtime.internal.recovery.RecoveryException;

/**
 * One partition of an immortal's log on this application instance: its task, the outcomes kept there, and its
 * {@link TaskRunner}, wired to the stages of the data path and run by one of the immortal's dispatcher threads.
 */
final class LocalPartition {

    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

    private final LocalImmortal immortal;
    private final PartitionTask task;
    private final Outcomes outcomes;
    private DispatcherThread host;
    private TaskRunner runner;

    LocalPartition(LocalImmortal immortal, int partition, PartitionState state, int maxOutstanding) {
        this(immortal, new PartitionTask(partition, maxOutstanding, state));
    }

    /**
     * @return the stand-in for a partition another instance owns: never started
     */
    static LocalPartition elsewhere(LocalImmortal immortal, int partition) {
        return new LocalPartition(immortal, PartitionTask.elsewhere(partition));
    }

    private LocalPartition(LocalImmortal immortal, PartitionTask task) {
        this.immortal = immortal;
        this.task = task;
        this.outcomes = new Outcomes(task, immortal.names().log());
    }

    PartitionTask task() {
        return task;
    }

    Outcomes outcomes() {
        return outcomes;
    }

    /**
     * Wires the partition task's stages and gives the task to a dispatcher thread, which recovers and runs it.
     */
    void start(ImmortalRuntime runtime, PendingCalls pending, DispatcherThread host) {
        ImmortalType type = immortal.type();
        TopicNames names = immortal.names();
        AmbrosiaConfig config = runtime.config();
        int partition = task.partition();
        var mapper = runtime.objectMapper();
        var log = names.logPartition(partition);
        String transactionalId = names.transactionalId(partition);
        PartitionState state = task.state();
        SystemStateCodec system = new SystemStateCodec(mapper);
        CheckpointStore store = new CheckpointStore(type.name(), names.checkpointPartition(partition), mapper,
                (int) Math.min(Integer.MAX_VALUE, config.checkpoint().chunkSize().asLongValue()), state.codecName());
        CheckpointSchedule schedule = new CheckpointSchedule(type.name(), log, config.checkpoint(),
                task.checkpointHealth());
        Checkpointer checkpointer = new Checkpointer(type.name(), task, state, system, store, schedule, runtime.admin(),
                log, config.log().trim(), config.checkpoint().retained());
        CommitPolicy commitPolicy = new CommitPolicy(config.dispatcher().commitInterval(), config.dispatcher().maxBatch());
        String threadSuffix = type.keyed() ? type.name() + "-" + partition : type.name();
        ExecutorService committerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ambrosia-commit-" + threadSuffix);
            t.setDaemon(true);
            return t;
        });
        TransactionCommitter committer = new TransactionCommitter(type.name(), log, names.group(), task, mapper,
                new OutputGuard(runtime.admin(), runtime.clients().transactionalProducer(transactionalId), TOPIC_TIMEOUT),
                checkpointer, commitPolicy, committerThread);
        CallTimeouts timeouts = new CallTimeouts(type.name(), names.log(), task, runtime::appendProducer,
                runtime::timers);
        HandlerInvoker invoker = new HandlerInvoker(type.name(), task, runtime.callScope(), host::onDispatcher);
        RecordExecutor executor = new RecordExecutor(type, immortal, task, pending, outcomes, invoker,
                new IncomingCalls(type, names, immortal, task, invoker, mapper),
                new ReplyApplier(names, immortal, task, mapper, runtime.callScope(), config.calls().timeout()),
                config.idempotency().retention(), config.idempotency().maxKeys());
        if (type.keyed() && runtime.answers() != null) {
            executor.answering(runtime.answers(), config.callTimeout());
        }
        runner = new TaskRunner(type.name(), task, log, new TaskRunner.Environment() {
            @Override
            public TaskProducer openProducer() throws Exception {
                immortal.ensureTopics(TOPIC_TIMEOUT);
                return new TaskProducer(new KafkaProducer<>(runtime.clients().transactionalProducer(transactionalId)),
                        transactionalId);
            }

            @Override
            public void wentLive() {
                timeouts.arm();
            }

            @Override
            public void ended(TaskState state) {
                immortal.ended(LocalPartition.this, state);
            }

            @Override
            public void abandonPending(String reason) {
                if (!type.keyed()) {
                    pending.abandon(reason, partition);
                }
                // a keyed immortal's calls recorded here are answered by the partition's next owner, wherever it runs
            }
        }, new Recovery(names, task, state, store, system, checkpointer, mapper), new Admission(config.topicPrefix()),
                executor, commitPolicy, schedule, checkpointer, committer, timeouts, committerThread,
                config.log().maxClockSkew(), config.checkpoint().drainTimeout(), transactionalId);
        this.host = host;
        host.add(runner);
    }

    /**
     * Stops the task: its dispatcher thread commits what it ran and releases the partition before this returns.
     */
    void stop(String why) {
        if (host != null) {
            host.remove(runner);
        }
        task.status().change(TaskState.STOPPED, why);
    }

    /** Topics.ensure's refusal of a log with another partition count, as the failure recovery cannot mend. */
    static RecoveryException mismatch(RuntimeException e) {
        return new RecoveryException(e.getMessage());
    }

    static Optional<Short> replicationFactor(AmbrosiaConfig config) {
        return config.replicationFactor().isPresent()
                ? Optional.of((short) config.replicationFactor().getAsInt())
                : Optional.empty();
    }
}
