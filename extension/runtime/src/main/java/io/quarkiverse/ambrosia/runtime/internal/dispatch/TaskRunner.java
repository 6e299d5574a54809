package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.jboss.logging.Logger;

import io.quarkiverse.ambrosia.runtime.internal.calls.CallTimeouts;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointSchedule;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.Checkpointer;
import io.quarkiverse.ambrosia.runtime.internal.commit.CommitPolicy;
import io.quarkiverse.ambrosia.runtime.internal.commit.Output;
import io.quarkiverse.ambrosia.runtime.internal.commit.TransactionCommitter;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TaskFencedException;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TaskProducer;
import io.quarkiverse.ambrosia.runtime.internal.recovery.Recovery;
import io.quarkiverse.ambrosia.runtime.internal.recovery.RecoveryException;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.task.TaskState;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.quarkiverse.ambrosia.runtime.internal.wire.Kind;

/**
 * One partition task as a {@link DispatcherThread} runs it, through the data path's phases in order. <b>Recover</b>
 * (open the task's transactional producer, restore the newest checkpoint, position the thread's consumer on the
 * task's partition), then, each time the thread polls: <b>process</b> the task's records (admit, execute),
 * <b>commit</b> when the commit policy says so, go live once caught up, and <b>checkpoint</b> when the schedule says
 * so (or drain first, if calls are outstanding). A failure that retrying can mend sends the task back to recover, with
 * back-off; fencing and unrecoverable logs end it. Everything here runs on the hosting thread.
 */
public final class TaskRunner {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);

    /** What the task needs from outside: its producer and what to tell when its state changes. */
    public interface Environment {
        /** Creates the topics if needed and opens the task's transactional producer, not yet initialised. */
        TaskProducer openProducer() throws Exception;

        /** The task is live: arm the timeouts the replay left waiting. */
        void wentLive();

        /** The task will not run the calls recorded here: they run wherever the immortal recovers. */
        void abandonPending(String reason);

        /** The task ended for good, fenced or failed: it will not recover again. */
        void ended(TaskState state);
    }

    private final String immortal;
    private final PartitionTask task;
    private final TopicPartition log;
    private final Environment environment;
    private final Recovery recovery;
    private final AdmissionGate gate;
    private final RecordProcessor processor;
    private final CommitPolicy commitPolicy;
    private final CheckpointSchedule schedule;
    private final Checkpointer checkpointer;
    private final TransactionCommitter committer;
    private final CallTimeouts timeouts;
    private final ExecutorService committerThread;
    private final Duration drainTimeout;
    private final String transactionalId;
    private TaskProducer producer;
    private long liveAt;
    private boolean live;
    private long recoveryStartNanos;
    // the task's state is whole (recovery ended), and no record is half processed: a commit may be taken
    private boolean recovered;
    // to recover before it runs anything (a new task, or one whose last attempt failed), not before this time
    private boolean recoveryDue = true;
    private long recoverAtNanos;
    private long backoffMillis = 100;
    private boolean ended;

    public TaskRunner(String immortal, PartitionTask task, TopicPartition log, Environment environment,
            Recovery recovery, Admission admission, RecordExecutor executor, CommitPolicy commitPolicy,
            CheckpointSchedule schedule, Checkpointer checkpointer, TransactionCommitter committer,
            CallTimeouts timeouts, ExecutorService committerThread, Duration maxClockSkew,
            Duration drainTimeout, String transactionalId) {
        this.processor = new RecordProcessor(task, admission, executor, new RecordProcessor.Drains() {
            @Override
            public void drainFoundQuiescent() {
                checkpointer.checkpointNow(schedule.due());
            }

            @Override
            public void drainEnded(long waitedNanos) {
                checkpointer.drained(waitedNanos);
            }
        }, maxClockSkew);
        this.immortal = immortal;
        this.task = task;
        this.log = log;
        this.environment = environment;
        this.recovery = recovery;
        this.gate = task.gate();
        this.commitPolicy = commitPolicy;
        this.schedule = schedule;
        this.checkpointer = checkpointer;
        this.committer = committer;
        this.timeouts = timeouts;
        this.committerThread = committerThread;
        this.drainTimeout = drainTimeout;
        this.transactionalId = transactionalId;
    }

    public TopicPartition log() {
        return log;
    }

    public PartitionTask task() {
        return task;
    }

    /**
     * @return whether the task is to recover now: it has not yet, or its last attempt failed and its back-off passed
     */
    boolean recoveryDue(long nowNanos) {
        return !ended && recoveryDue && nowNanos - recoverAtNanos >= 0;
    }

    /** @return whether the task is recovered and processes what the thread polls */
    boolean running() {
        return !ended && !recoveryDue;
    }

    boolean ended() {
        return ended;
    }

    // --- recover

    /**
     * Opens the producer (fencing any older instance and aborting its unfinished transaction), restores the task and
     * positions the thread's consumer on its partition.
     */
    void recover(Consumer<byte[], byte[]> consumer, Consumer<byte[], byte[]> restoreConsumer) throws Exception {
        recoveryStartNanos = System.nanoTime();
        live = false;
        recovered = false;
        task.status().change(TaskState.RECOVERING, "recovering");
        closeProducer();
        producer = environment.openProducer();
        producer.init();
        liveAt = recovery.recover(consumer, restoreConsumer);
        committer.use(producer);
        commitPolicy.reset();
        recovered = true;
        recoveryDue = false;
        backoffMillis = 100;
        goLiveIfCaughtUp(consumer);
    }

    /**
     * @return how long the thread's next poll may wait for this task: not at all while outputs wait, else until its
     *         commit is due
     */
    Duration pollTimeout(long nowNanos) {
        return commitPolicy.pollTimeout(!task.outbox().isEmpty(), nowNanos);
    }

    // --- poll, process, commit, checkpoint

    /**
     * Processes the task's records of one poll, then commits, goes live and checkpoints as due.
     */
    void polled(List<ConsumerRecord<byte[], byte[]>> records, Consumer<byte[], byte[]> consumer) throws Exception {
        committer.checkCommitting();
        boolean rewind = process(records);
        if (commitPolicy.due(records.isEmpty(), !task.outbox().isEmpty(), System.nanoTime())) {
            commit(false);
        }
        if (rewind) {
            consumer.seek(log, gate.nextUnprocessed());
        }
        goLiveIfCaughtUp(consumer);
        checkpointIfDue();
    }

    /**
     * @return whether impulses waited and need not any more: the consumer is to read again from the first of them
     */
    private boolean process(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            commitPolicy.ran();
            processor.process(record);
            schedule.processed();
            boolean rewind = gate.rewindDue(task.calls().size());
            if (checkpointer.checkpointNow() || (task.quiescent() && !gate.deferring() && schedule.due())) {
                commit(true);
            }
            if (rewind) {
                gate.rewound();
                return true;
            }
        }
        return false;
    }

    private void commit(boolean checkpoint) throws Exception {
        if (committer.commit(checkpoint) && live) {
            timeouts.arm();
        }
    }

    private void checkpointIfDue() throws Exception {
        if (schedule.due()) {
            if (task.quiescent() && !gate.deferring()) {
                commit(true);
            } else if (live && gate.requestDrain()) {
                // calls are outstanding: a drain record makes impulses wait from a point every replay agrees on
                task.outbox().add(control(Kind.DRAIN));
                commit(false);
            }
        }
        if (live && gate.requestResume(drainTimeout.toNanos())) {
            LOG.warnf("Immortal %s: %d calls still wait for replies %s after a checkpoint drain began; impulses run"
                    + " again, the checkpoint is tried at the next interval", immortal, task.calls().size(),
                    drainTimeout);
            task.outbox().add(control(Kind.RESUME));
            commit(false);
        }
    }

    private Output control(Kind kind) {
        return new Output(-1, log.topic(), log.partition(),
                Envelope.control(kind, immortal, UUID.randomUUID().toString(), System.currentTimeMillis()), null, -1);
    }

    private void goLiveIfCaughtUp(Consumer<byte[], byte[]> consumer) {
        if (!live && consumer.position(log) >= liveAt) {
            live = true;
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStartNanos);
            task.status().change(TaskState.LIVE, "live");
            LOG.infof("Immortal %s is live at offset %d of %s (recovered in %d ms)", immortal, gate.nextUnprocessed(),
                    log.topic(), millis);
            environment.wentLive();
        }
    }

    // --- failures and stops

    /**
     * The task failed in a phase, or the thread's consumer did: ends it if fenced or unrecoverable, else closes its
     * producer and makes it recover again after a back-off. What it ran since its last commit is replayed.
     *
     * @param stopping whether the thread is stopping (or woken in a recovery for a change): nothing is logged as a
     *        failure, and a task still hosted recovers again at once
     */
    void failed(Exception e, boolean stopping) {
        // interrupted: the thread is stopping, or a removal waited too long for what this task was blocked in
        stopping |= e instanceof InterruptedException || e instanceof InterruptException;
        recovered = false;
        committer.abandon();
        closeProducer();
        if (e instanceof RecoveryException) {
            LOG.errorf("Immortal %s cannot recover: %s", immortal, e.getMessage());
            end(TaskState.FAILED, e.getMessage(), "immortal " + immortal + " cannot recover: " + e.getMessage());
        } else if (TaskProducer.isFencing(e)) {
            String detail = TaskFencedException.describe(transactionalId);
            LOG.errorf("Immortal %s was %s; this instance stops processing it (%s)", immortal, detail, e);
            LOG.debugf(e, "Immortal %s: fencing detected", immortal);
            end(TaskState.FENCED, detail, "immortal " + immortal + " was " + detail);
        } else {
            recoveryDue = true;
            recoverAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stopping ? 0 : backoffMillis);
            if (!stopping) {
                LOG.errorf(e, "Immortal %s: dispatcher failed; recovering again in %d ms", immortal, backoffMillis);
                task.status().change(TaskState.RECOVERING, "recovering after: " + e);
                backoffMillis = Math.min(5000, backoffMillis * 2);
            }
        }
    }

    private void end(TaskState state, String detail, String abandoned) {
        ended = true;
        task.status().change(state, detail);
        environment.abandonPending(abandoned);
        environment.ended(state);
    }

    /**
     * Stopped (the partition is revoked, the instance stops) between two records: commits what ran since the last
     * commit if the task is recovered, so the partition's next owner starts where this one ended rather than
     * replaying it, then closes the producer.
     */
    void stop() {
        if (recovered && !ended) {
            recovered = false;
            try {
                commit(false);
            } catch (Exception e) {
                LOG.debugf(e, "Immortal %s: the commit on stopping failed; the next owner replays what it held",
                        immortal);
            }
        }
        ended = true;
        committer.abandon();
        closeProducer();
        committerThread.shutdownNow();
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close();
            } catch (Exception e) {
                LOG.debugf(e, "Immortal %s: closing the producer failed", immortal);
            }
            producer = null;
        }
    }
}
