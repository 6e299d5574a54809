package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
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
 * The thread that owns a partition task: its loop is the data path's phases, in order. <b>Recover</b> (open the
 * clients, restore the newest checkpoint, position the consumer), then, until stopped, fenced or failed: <b>poll</b>,
 * <b>process</b> each record (admit, execute), <b>commit</b> when the commit policy says so, go live once caught up,
 * and <b>checkpoint</b> when the schedule says so (or drain first, if calls are outstanding). A failure that retrying
 * can mend sends it back to recover; fencing and unrecoverable logs end it.
 */
public final class DispatcherThread implements Runnable {

    private static final Logger LOG = Logger.getLogger(DispatcherThread.class);

    /** What the task's dispatcher needs from outside: its clients and what to tell when its state changes. */
    public interface Environment {
        /** Creates the topics if needed and opens the task's transactional producer, not yet initialised. */
        TaskProducer openProducer() throws Exception;

        Consumer<byte[], byte[]> openConsumer();

        /** The task is live: arm the timeouts the replay left waiting. */
        void wentLive();

        /** The task will not run the calls recorded here: they run wherever the immortal recovers. */
        void abandonPending(String reason);

        /** The dispatcher ended for good, fenced or failed: it will not recover the task again. */
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
    private volatile boolean running = true;
    private volatile Thread thread;
    private volatile Consumer<byte[], byte[]> consumer;
    private TaskProducer producer;
    private long liveAt;
    private boolean live;
    // the task's state is whole (recovery ended), and a record is not half processed: a commit may be taken
    private boolean recovered;
    private long recoveryStartNanos;

    public DispatcherThread(String immortal, PartitionTask task, TopicPartition log, Environment environment,
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

    /**
     * Starts the thread, named {@code ambrosia-dispatcher-<name>}.
     */
    public void start(String name) {
        Thread t = new Thread(this, "ambrosia-dispatcher-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    public boolean onDispatcher() {
        return Thread.currentThread() == thread;
    }

    /**
     * Stops the loop and waits for it to end (interrupting a recovery blocked on an unreachable broker).
     */
    public void stop() {
        running = false;
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(TimeUnit.SECONDS.toMillis(25));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        try {
            long backoffMillis = 100;
            while (running) {
                try {
                    recover();
                    backoffMillis = 100;
                    processUntilStopped();
                } catch (WakeupException e) {
                    // woken in a call to the consumer, between two records: the stop's way of ending a poll
                    if (running) {
                        LOG.warnf(e, "Immortal %s: dispatcher interrupted; recovering again", immortal);
                    }
                } catch (InterruptException | InterruptedException e) {
                    recovered = false;
                    if (running) {
                        LOG.warnf(e, "Immortal %s: dispatcher interrupted; recovering again", immortal);
                    }
                } catch (RecoveryException e) {
                    LOG.errorf("Immortal %s cannot recover: %s", immortal, e.getMessage());
                    end(TaskState.FAILED, e.getMessage(), "immortal " + immortal + " cannot recover: " + e.getMessage());
                } catch (Exception e) {
                    recovered = false;
                    if (TaskProducer.isFencing(e)) {
                        String detail = TaskFencedException.describe(transactionalId);
                        LOG.errorf("Immortal %s was %s; this instance stops processing it (%s)", immortal, detail, e);
                        LOG.debugf(e, "Immortal %s: fencing detected", immortal);
                        end(TaskState.FENCED, detail, "immortal " + immortal + " was " + detail);
                    } else if (running) {
                        LOG.errorf(e, "Immortal %s: dispatcher failed; recovering again in %d ms", immortal,
                                backoffMillis);
                        task.status().change(TaskState.RECOVERING, "recovering after: " + e);
                        sleep(backoffMillis);
                        backoffMillis = Math.min(5000, backoffMillis * 2);
                    }
                } finally {
                    commitOnStop();
                    closeClients();
                }
            }
        } finally {
            committerThread.shutdownNow();
        }
    }

    /**
     * Stopped (the instance stops, or the partition is revoked) between two records of a recovered task: commits what
     * ran since the last commit, so the partition's next owner starts where this one ended rather than replaying it.
     */
    private void commitOnStop() {
        if (running || !recovered) {
            return;
        }
        recovered = false;
        try {
            commit(false);
        } catch (Exception e) {
            LOG.debugf(e, "Immortal %s: the commit on stopping failed; the next owner replays what it held", immortal);
        }
    }

    private void end(TaskState state, String detail, String abandoned) {
        task.status().change(state, detail);
        environment.abandonPending(abandoned);
        running = false;
        environment.ended(state);
    }

    // --- recover

    private void recover() throws Exception {
        recoveryStartNanos = System.nanoTime();
        live = false;
        recovered = false;
        task.status().change(TaskState.RECOVERING, "recovering");
        producer = environment.openProducer();
        // fences any older instance and aborts its unfinished transaction (commit or checkpoint)
        producer.init();
        consumer = environment.openConsumer();
        if (!running) {
            return;
        }
        liveAt = recovery.recover(consumer);
        committer.use(producer);
        commitPolicy.reset();
        recovered = true;
        goLiveIfCaughtUp();
    }

    // --- poll, process, commit, checkpoint

    private void processUntilStopped() throws Exception {
        while (running) {
            committer.checkCommitting();
            ConsumerRecords<byte[], byte[]> records = consumer.poll(
                    commitPolicy.pollTimeout(!task.outbox().isEmpty(), System.nanoTime()));
            boolean rewind = process(records);
            if (commitPolicy.due(records.isEmpty(), !task.outbox().isEmpty(), System.nanoTime())) {
                commit(false);
            }
            if (rewind) {
                consumer.seek(log, gate.nextUnprocessed());
            }
            goLiveIfCaughtUp();
            checkpointIfDue();
        }
    }

    /**
     * @return whether impulses waited and need not any more: the consumer is to read again from the first of them
     */
    private boolean process(ConsumerRecords<byte[], byte[]> records) throws Exception {
        for (ConsumerRecord<byte[], byte[]> record : records.records(log)) {
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

    private void goLiveIfCaughtUp() {
        if (!live && consumer.position(log) >= liveAt) {
            live = true;
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStartNanos);
            task.status().change(TaskState.LIVE, "live");
            LOG.infof("Immortal %s is live at offset %d of %s (recovered in %d ms)", immortal, gate.nextUnprocessed(),
                    log.topic(), millis);
            environment.wentLive();
        }
    }

    private void closeClients() {
        committer.abandon();
        Consumer<byte[], byte[]> current = consumer;
        consumer = null;
        if (current != null) {
            try {
                current.close(Duration.ofSeconds(5));
            } catch (Exception e) {
                LOG.debugf(e, "Immortal %s: closing the consumer failed", immortal);
            }
        }
        if (producer != null) {
            try {
                producer.close();
            } catch (Exception e) {
                LOG.debugf(e, "Immortal %s: closing the producer failed", immortal);
            }
            producer = null;
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
