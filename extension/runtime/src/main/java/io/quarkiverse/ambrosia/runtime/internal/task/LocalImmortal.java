package io.quarkiverse.ambrosia.runtime.internal.task;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.interceptor.InvocationContext;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

import io.quarkiverse.ambrosia.runtime.AmbrosiaConfig;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.answer.LocalReads;
import io.quarkiverse.ambrosia.runtime.internal.answer.Outcome;
import io.quarkiverse.ambrosia.runtime.internal.answer.Outcomes;
import io.quarkiverse.ambrosia.runtime.internal.calls.CallSender;
import io.quarkiverse.ambrosia.runtime.internal.calls.CallTimeouts;
import io.quarkiverse.ambrosia.runtime.internal.calls.IncomingCalls;
import io.quarkiverse.ambrosia.runtime.internal.calls.ReplyApplier;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.BeanState;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointHealth;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointSchedule;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointStore;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.Checkpointer;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.SystemStateCodec;
import io.quarkiverse.ambrosia.runtime.internal.commit.CommitPolicy;
import io.quarkiverse.ambrosia.runtime.internal.commit.OutputGuard;
import io.quarkiverse.ambrosia.runtime.internal.commit.TransactionCommitter;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.Admission;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.DispatcherThread;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerInvoker;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.RecordExecutor;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TaskProducer;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TopicNames;
import io.quarkiverse.ambrosia.runtime.internal.kafka.Topics;
import io.quarkiverse.ambrosia.runtime.internal.log.Appender;
import io.quarkiverse.ambrosia.runtime.internal.log.CallRecorder;
import io.quarkiverse.ambrosia.runtime.internal.log.PendingCalls;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalType;
import io.quarkiverse.ambrosia.runtime.internal.recovery.Recovery;

/**
 * One immortal on this application instance: its partition task (one today) and the stages around it, wired
 * together. What the rest of the extension (the interceptor, REST, health checks, metrics, the scheduler) sees of an
 * immortal.
 */
public final class LocalImmortal {

    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

    private final ImmortalType type;
    private final TopicNames names;
    private final PartitionTask task;
    private final PendingCalls pending = new PendingCalls();
    private final Outcomes outcomes;
    private final CallRecorder recorder;
    private final LocalReads reads;
    private final CallSender sender;
    private final ImmortalRuntime runtime;
    private DispatcherThread dispatcher;

    public LocalImmortal(ImmortalType type, ImmortalRuntime runtime) {
        AmbrosiaConfig config = runtime.config();
        this.type = type;
        this.runtime = runtime;
        this.names = new TopicNames(config.topicPrefix(), type.name());
        this.task = new PartitionTask(TopicNames.PARTITION, config.calls().maxOutstanding());
        this.outcomes = new Outcomes(task, names.log());
        Appender appender = new Appender(type.name(), names.log(), task.partition(), runtime::appendProducer,
                config.appendTimeout(), task.status());
        this.recorder = new CallRecorder(type.name(), runtime, appender, pending, outcomes, task.status());
        this.reads = new LocalReads(type.name(), names.log(), task, config.callTimeout());
        this.sender = new CallSender(names, config.calls().timeout());
    }

    public String name() {
        return type.name();
    }

    public ImmortalType type() {
        return type;
    }

    /**
     * @return whether this instance has recovered the immortal and processes its log
     */
    public boolean isLive() {
        return task.status().state() == TaskState.LIVE;
    }

    /**
     * @return the status for humans: live, recovering, fenced, failed or stopped, with details
     */
    public String describeStatus() {
        CheckpointHealth.Failing failing = task.checkpointHealth().failing();
        long processed = task.status().processedOffset();
        return task.status().describe() + (failing == null ? "" : "; " + failing.describe())
                + (processed >= 0 ? " (processed up to offset " + processed + ")" : "");
    }

    public CheckpointHealth checkpointHealth() {
        return task.checkpointHealth();
    }

    public long recordsSinceCheckpoint() {
        return task.recordsSinceCheckpoint();
    }

    public Handler handlerFor(java.lang.reflect.Method method) {
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

    public Outcome awaitOutcome(String key, Duration wait) throws InterruptedException {
        return outcomes.await(key, wait);
    }

    /** Ends the asynchronous calls that waited too long; run by the runtime's sweep while any is pending. */
    public boolean checkAsyncCalls(long nowNanos) {
        return pending.checkAsyncCalls(nowNanos);
    }

    /**
     * Wires the partition task's stages and starts its dispatcher thread.
     */
    public void start() {
        AmbrosiaConfig config = runtime.config();
        int partition = task.partition();
        var mapper = runtime.objectMapper();
        var log = names.logPartition(partition);
        String transactionalId = names.transactionalId(partition);
        BeanState bean = new BeanState(runtime.stateCodec(), type.beanClass(), type::bean);
        SystemStateCodec system = new SystemStateCodec(mapper);
        CheckpointStore store = new CheckpointStore(type.name(), names.checkpointPartition(partition), mapper,
                (int) Math.min(Integer.MAX_VALUE, config.checkpoint().chunkSize().asLongValue()), bean.codecName());
        CheckpointSchedule schedule = new CheckpointSchedule(type.name(), log, config.checkpoint(),
                task.checkpointHealth());
        Checkpointer checkpointer = new Checkpointer(type.name(), task, bean, system, store, schedule, runtime.admin(),
                log, config.log().trim(), config.checkpoint().retained());
        CommitPolicy commitPolicy = new CommitPolicy(config.dispatcher().commitInterval(), config.dispatcher().maxBatch());
        ExecutorService committerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ambrosia-commit-" + type.name());
            t.setDaemon(true);
            return t;
        });
        TransactionCommitter committer = new TransactionCommitter(type.name(), log, names.group(), task, mapper,
                new OutputGuard(runtime.admin(), runtime.clients().transactionalProducer(transactionalId), TOPIC_TIMEOUT),
                checkpointer, commitPolicy, committerThread);
        CallTimeouts timeouts = new CallTimeouts(type.name(), names.log(), task, runtime::appendProducer,
                runtime::timers);
        // asked only once the dispatcher runs, so after the field below is set
        HandlerInvoker invoker = new HandlerInvoker(type.name(), task, runtime.callScope(),
                () -> dispatcher.onDispatcher());
        RecordExecutor executor = new RecordExecutor(type, this, task, pending, outcomes, invoker,
                new IncomingCalls(type, names, this, task, invoker, mapper),
                new ReplyApplier(names, this, task, mapper, runtime.callScope(), config.calls().timeout()),
                config.idempotency().retention(), config.idempotency().maxKeys());
        dispatcher = new DispatcherThread(type.name(), task, log, new DispatcherThread.Environment() {
            @Override
            public TaskProducer openProducer() throws Exception {
                Topics.ensure(runtime.admin(), names.log(), names.checkpoints(),
                        config.replicationFactor().isPresent()
                                ? Optional.of((short) config.replicationFactor().getAsInt())
                                : Optional.empty(),
                        TOPIC_TIMEOUT);
                return new TaskProducer(new KafkaProducer<>(runtime.clients().transactionalProducer(transactionalId)),
                        transactionalId);
            }

            @Override
            public Consumer<byte[], byte[]> openConsumer() {
                return new KafkaConsumer<>(runtime.clients().consumer("ambrosia-" + type.name(), names.group(),
                        config.dispatcher().maxBatch()));
            }

            @Override
            public void wentLive() {
                timeouts.arm();
            }

            @Override
            public void abandonPending(String reason) {
                pending.abandon(reason);
            }
        }, new Recovery(names, task, bean, store, system, checkpointer, mapper), new Admission(config.topicPrefix()),
                executor, commitPolicy, schedule, checkpointer, committer, timeouts, committerThread,
                config.log().maxClockSkew(), config.checkpoint().drainTimeout(), transactionalId);
        dispatcher.start();
    }

    public void stop() {
        if (dispatcher != null) {
            dispatcher.stop();
        }
        task.status().change(TaskState.STOPPED, "stopped");
        pending.abandon("this application instance stopped before running it");
    }
}
