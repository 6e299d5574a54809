package io.quarkiverse.ambrosia.runtime.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import io.quarkiverse.ambrosia.ImmortalException;
import io.quarkiverse.ambrosia.StateCodec;
import io.quarkiverse.ambrosia.runtime.AmbrosiaConfig;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalInstance.Status;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointSchedule;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointStore;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.JsonStateCodec;
import io.quarkiverse.ambrosia.runtime.internal.commit.OutputGuard;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.Admission;
import io.quarkiverse.ambrosia.runtime.internal.kafka.Topics;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;
import io.quarkiverse.ambrosia.runtime.internal.wire.CheckpointManifest;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.quarkiverse.ambrosia.runtime.internal.wire.Kind;

/**
 * The thread that owns an immortal's state: recovers it (newest checkpoint, then replay), then runs the log's records
 * one at a time, commits the consumed offsets in a transaction per batch, and takes checkpoints.
 * <p>
 * The transactional id is fixed per immortal partition, so a newer instance's {@code initTransactions} fences this one:
 * its next commit fails and it stops.
 */
final class Dispatcher implements Runnable {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

    private final ImmortalInstance immortal;
    private final ImmortalRuntime runtime;
    private final AmbrosiaConfig config;
    private final StateCodec codec;
    private final TopicPartition logPartition;
    private final ConsumerGroupMetadata group;
    private final CheckpointStore checkpoints;
    private final CheckpointSchedule schedule;
    private final Deque<CheckpointManifest> retained = new ArrayDeque<>();
    private volatile boolean running = true;
    volatile Thread thread;

    private Producer<byte[], byte[]> producer;
    private Consumer<byte[], byte[]> consumer;
    // commits that carry only offsets run here, while the dispatcher goes on running records
    private ExecutorService committer;
    // such a commit in flight, or null; the next commit or checkpoint waits for it, and its failure is this thread's
    private Future<?> committing;
    private final Calls calls;
    private final int maxOutstanding;
    private final Admission admission;
    private final OutputGuard outputs;
    private final long maxClockSkewMillis;
    private Object bean;
    private byte[] initialState;
    private long liveAt;
    private boolean checkpointNow;
    // records run since the last commit, and when the first of them ran
    private int uncommitted;
    private long firstUncommittedNanos;
    private boolean drainRequested;
    private boolean resumeRequested;
    // how long the impulses waited for the checkpoint being taken, or -1
    private long drainedNanos = -1;
    private boolean live;
    private long recoveryStartNanos;

    Dispatcher(ImmortalInstance immortal, ImmortalRuntime runtime) {
        this.immortal = immortal;
        this.runtime = runtime;
        this.config = runtime.config();
        this.codec = runtime.stateCodec();
        this.logPartition = new TopicPartition(immortal.logTopic, 0);
        this.calls = immortal.calls;
        this.maxOutstanding = config.calls().maxOutstanding();
        this.group = new ConsumerGroupMetadata(immortal.groupId);
        this.checkpoints = new CheckpointStore(immortal.name, immortal.checkpointTopic, runtime.objectMapper(),
                (int) Math.min(Integer.MAX_VALUE, config.checkpoint().chunkSize().asLongValue()),
                codec instanceof JsonStateCodec ? JsonStateCodec.NAME : codec.getClass().getName());
        this.admission = new Admission(config.topicPrefix());
        this.outputs = new OutputGuard(runtime.admin(), runtime.clients().transactionalProducer(immortal.transactionalId),
                TOPIC_TIMEOUT);
        this.maxClockSkewMillis = config.log().maxClockSkew().toMillis();
        this.schedule = new CheckpointSchedule(immortal.name, logPartition, config.checkpoint(), immortal.checkpointHealth);
    }

    boolean onDispatcher() {
        return Thread.currentThread() == thread;
    }

    void stop() {
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
                    // still blocked in recovery (an unreachable broker): interrupt the wait rather than hold the shutdown
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
        committer = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "ambrosia-commit-" + immortal.name);
            t.setDaemon(true);
            return t;
        });
        try {
            dispatch();
        } finally {
            committer.shutdownNow();
        }
    }

    private void dispatch() {
        long backoffMillis = 100;
        while (running) {
            try {
                recover();
                backoffMillis = 100;
                process();
            } catch (WakeupException | InterruptException | InterruptedException e) {
                if (running) {
                    LOG.warnf(e, "Immortal %s: dispatcher interrupted; recovering again", immortal.name);
                }
            } catch (RecoveryException e) {
                LOG.errorf("Immortal %s cannot recover: %s", immortal.name, e.getMessage());
                immortal.changeStatus(Status.FAILED, e.getMessage());
                immortal.abandonPending("immortal " + immortal.name + " cannot recover: " + e.getMessage());
                running = false;
            } catch (Exception e) {
                if (isFencing(e)) {
                    String detail = "fenced by a newer instance with transactional id " + immortal.transactionalId;
                    LOG.errorf("Immortal %s was %s; this instance stops processing it (%s)", immortal.name, detail, e);
                    LOG.debugf(e, "Immortal %s: fencing detected", immortal.name);
                    immortal.changeStatus(Status.FENCED, detail);
                    immortal.abandonPending("immortal " + immortal.name + " was " + detail);
                    running = false;
                } else if (running) {
                    LOG.errorf(e, "Immortal %s: dispatcher failed; recovering again in %d ms", immortal.name, backoffMillis);
                    immortal.changeStatus(Status.RECOVERING, "recovering after: " + e);
                    sleep(backoffMillis);
                    backoffMillis = Math.min(5000, backoffMillis * 2);
                }
            } finally {
                closeClients();
            }
        }
    }

    private void recover() throws Exception {
        recoveryStartNanos = System.nanoTime();
        live = false;
        immortal.changeStatus(Status.RECOVERING, "recovering");
        Topics.ensure(runtime.admin(), immortal.logTopic, immortal.checkpointTopic,
                config.replicationFactor().isPresent()
                        ? Optional.of((short) config.replicationFactor().getAsInt())
                        : Optional.empty(),
                TOPIC_TIMEOUT);
        producer = new KafkaProducer<>(runtime.clients().transactionalProducer(immortal.transactionalId));
        // fences any older instance and aborts its unfinished transaction (commit or checkpoint)
        producer.initTransactions();
        consumer = new KafkaConsumer<>(runtime.clients().consumer("ambrosia-" + immortal.name, immortal.groupId,
                config.dispatcher().maxBatch()));
        if (!running) {
            return;
        }
        if (bean == null) {
            bean = immortal.bean();
            // the state before any record: what a replay from the start of the log begins with
            initialState = codec.encodeInitial(bean, immortal.beanClass);
        }
        Optional<CheckpointStore.Loaded> checkpoint = checkpoints.loadLatest(consumer);
        consumer.assign(List.of(logPartition));
        long logStart = consumer.beginningOffsets(List.of(logPartition)).get(logPartition);
        retained.clear();
        String from;
        long restoredAt = 0;
        if (checkpoint.isPresent()) {
            CheckpointManifest manifest = checkpoint.get().manifest();
            if (manifest.logOffset() < logStart) {
                throw new RecoveryException("the newest complete checkpoint (" + manifest.checkpointId() + ") is at log"
                        + " offset " + manifest.logOffset() + " but " + immortal.logTopic + " starts at " + logStart);
            }
            immortal.restore(codec, bean, checkpoint.get().state(), checkpoint.get().system(), runtime.objectMapper(),
                    manifest.logOffset());
            retained.add(manifest);
            restoredAt = manifest.logOffset();
            from = "checkpoint " + manifest.checkpointId() + " at log offset " + manifest.logOffset() + " (" + manifest.size()
                    + " bytes)";
        } else {
            if (logStart > 0) {
                throw new RecoveryException(immortal.logTopic + " starts at offset " + logStart + " (trimmed) but "
                        + immortal.checkpointTopic + " holds no complete checkpoint");
            }
            immortal.restore(codec, bean, initialState, null, runtime.objectMapper(), 0);
            from = "the initial state";
        }
        consumer.seek(logPartition, calls.nextUnprocessed);
        OffsetAndMetadata committed = consumer.committed(Set.of(logPartition)).get(logPartition);
        calls.readCommitted(runtime.objectMapper(), committed == null ? 0 : committed.offset(),
                committed == null ? null : committed.metadata());
        liveAt = consumer.endOffsets(List.of(logPartition)).get(logPartition);
        schedule.restored(restoredAt);
        drainRequested = false;
        resumeRequested = false;
        checkpointNow = false;
        uncommitted = 0;
        drainedNanos = -1;
        outputs.reset(immortal.logTopic);
        LOG.infof("Immortal %s: recovering from %s; replaying %d records of %s", immortal.name, from,
                Math.max(0, liveAt - calls.nextUnprocessed), immortal.logTopic);
        goLiveIfCaughtUp();
    }

    private void process() throws Exception {
        long commitInterval = config.dispatcher().commitInterval().toNanos();
        int maxBatch = config.dispatcher().maxBatch();
        while (running) {
            if (committing != null && committing.isDone()) {
                // a failed commit (fenced, broker gone) is handled as if this thread had run it
                awaitCommitting();
            }
            // records run as they come; their commit (offsets and outputs, one transaction) follows within the
            // commit interval, so a slow commit delays callers only while it runs, not on every poll. Outputs for
            // other immortals are committed as soon as no more input is waiting: each call between immortals waits
            // for its sender's commit, and a chain of calls should not wait an interval per hop
            Duration wait = !calls.outputs.isEmpty()
                    ? Duration.ZERO
                    : uncommitted == 0
                            ? POLL
                            : Duration.ofNanos(Math.max(0, Math.min(POLL.toNanos(),
                                    commitInterval - (System.nanoTime() - firstUncommittedNanos))));
            ConsumerRecords<byte[], byte[]> records = consumer.poll(wait);
            boolean rewind = false;
            for (ConsumerRecord<byte[], byte[]> record : records.records(logPartition)) {
                if (uncommitted++ == 0) {
                    firstUncommittedNanos = System.nanoTime();
                }
                handle(record);
                schedule.processed();
                // the wait for replies is over: the impulses skipped meanwhile are read again, in log order
                rewind = calls.deferring && !calls.mustDefer(maxOutstanding);
                if (checkpointNow || (calls.quiescent() && !calls.deferring && schedule.due())) {
                    commit(true);
                }
                if (rewind) {
                    calls.deferring = false;
                    break;
                }
            }
            boolean idleWithOutputs = records.isEmpty() && !calls.outputs.isEmpty();
            // a recovery commits by the same rule: committing each poll of a replay cost more than running it
            if ((uncommitted > 0 || !calls.outputs.isEmpty()) && (idleWithOutputs || uncommitted >= maxBatch
                    || System.nanoTime() - firstUncommittedNanos >= commitInterval)) {
                commit(false);
            }
            if (rewind) {
                consumer.seek(logPartition, calls.nextUnprocessed);
            }
            goLiveIfCaughtUp();
            if (schedule.due()) {
                if (calls.quiescent() && !calls.deferring) {
                    commit(true);
                } else if (live && !drainRequested && !calls.draining) {
                    // calls are outstanding: a drain record makes impulses wait from a point every replay agrees on
                    drainRequested = true;
                    calls.outputs.add(control(Kind.DRAIN));
                    commit(false);
                }
            }
            if (calls.draining && live && !resumeRequested
                    && System.nanoTime() - calls.drainStartedNanos > config.checkpoint().drainTimeout().toNanos()) {
                LOG.warnf("Immortal %s: %d calls still wait for replies %s after a checkpoint drain began; impulses run"
                        + " again, the checkpoint is tried at the next interval", immortal.name, calls.outstanding.size(),
                        config.checkpoint().drainTimeout());
                resumeRequested = true;
                calls.outputs.add(control(Kind.RESUME));
                commit(false);
            }
        }
    }

    /**
     * Processes one record, or skips it: impulses (and drain records) run in log order but wait while the immortal
     * defers them; records from immortals (calls, replies, timeouts, resume) are applied as they arrive, once.
     */
    private void handle(ConsumerRecord<byte[], byte[]> record) {
        // decoded once, here: its kind decides the order it runs in, the rest how
        Envelope envelope;
        String invalid;
        Kind kind;
        try {
            envelope = Envelope.from(record);
            invalid = null;
            kind = envelope.kind();
        } catch (Envelope.InvalidEnvelopeException e) {
            envelope = null;
            invalid = e.getMessage();
            kind = Envelope.kindOf(record);
        }
        long offset = record.offset();
        if (kind != null && kind.appliedOnArrival()) {
            if (offset > calls.appliedThrough) {
                if (kind == Kind.RESUME) {
                    calls.draining = false;
                    resumeRequested = false;
                } else {
                    run(record, envelope, invalid, calls.replayed(offset, true));
                }
                calls.appliedThrough = offset;
                if (calls.draining && calls.quiescent()) {
                    // the replies are in: checkpoint here, then run the impulses that waited
                    calls.draining = false;
                    checkpointNow = true;
                    drainedNanos = System.nanoTime() - calls.drainStartedNanos;
                }
            }
            // else applied before the rewind to an impulse that waited, or before the checkpoint
            if (!calls.deferring) {
                calls.nextUnprocessed = offset + 1;
            }
            return;
        }
        if (calls.deferring) {
            return;
        }
        if (calls.mustDefer(maxOutstanding)) {
            calls.deferring = true;
            calls.nextUnprocessed = offset;
            return;
        }
        if (kind == Kind.DRAIN) {
            drainRequested = false;
            if (calls.quiescent()) {
                checkpointNow = schedule.due();
            } else {
                calls.draining = true;
                calls.drainStartedNanos = System.nanoTime();
            }
        } else {
            run(record, envelope, invalid, calls.replayed(offset, false));
        }
        calls.nextUnprocessed = offset + 1;
    }

    private void run(ConsumerRecord<byte[], byte[]> record, Envelope envelope, String invalid, boolean replaying) {
        String refusal = envelope == null ? invalid : admission.refusal(envelope);
        if (refusal != null) {
            immortal.reject(record, envelope, refusal);
        } else {
            immortal.execute(record, calls.clock.stamp(record, envelope, maxClockSkewMillis), replaying);
        }
    }

    private Calls.Output control(Kind kind) {
        return new Calls.Output(-1, immortal.logTopic, Envelope.control(kind, immortal.name, UUID.randomUUID().toString(),
                System.currentTimeMillis()), null, -1);
    }

    private void goLiveIfCaughtUp() {
        if (!live && consumer.position(logPartition) >= liveAt) {
            live = true;
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStartNanos);
            immortal.changeStatus(Status.LIVE, "live");
            LOG.infof("Immortal %s is live at offset %d of %s (recovered in %d ms)", immortal.name,
                    calls.nextUnprocessed, immortal.logTopic, millis);
            // the calls the replay left waiting get their timeouts now
            immortal.armTimeouts();
        }
    }

    /**
     * Commits a transaction: the outputs of the records processed since the last one (calls, replies, control
     * records), the consumed offset, and with {@code checkpoint} the state. The records before the offset count as
     * processed exactly when their outputs are written.
     */
    private void commit(boolean checkpoint) throws Exception {
        awaitCommitting();
        long start = System.nanoTime();
        byte[] state = null;
        byte[] system = null;
        if (checkpoint) {
            // encoded before the transaction: a state that does not encode costs this checkpoint, never the commit
            try {
                state = codec.encode(bean, immortal.beanClass);
                system = calls.encode(runtime.objectMapper(), immortal.impulses());
            } catch (Exception e) {
                schedule.failed(calls.nextUnprocessed, state == null ? "state" : "table of calls and idempotency keys", e);
                checkpoint = false;
                // after a drain too: the impulses that waited for this checkpoint run again
                checkpointNow = false;
                drainedNanos = -1;
            }
        }
        if (!checkpoint && calls.outputs.isEmpty()) {
            // only offsets: committed on the committer thread, so records arriving meanwhile run (and their callers
            // get their results) without waiting for the transaction's round trips
            OffsetAndMetadata position = new OffsetAndMetadata(calls.nextUnprocessed,
                    calls.committedMetadata(runtime.objectMapper()));
            int records = uncommitted;
            uncommitted = 0;
            committing = committer.submit(() -> {
                producer.beginTransaction();
                producer.sendOffsetsToTransaction(Map.of(logPartition, position), group);
                producer.commitTransaction();
                LOG.debugf("Immortal %s: committed %d records in %d us", immortal.name, records,
                        TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
                return null;
            });
            return;
        }
        producer.beginTransaction();
        boolean sentRequests = sendOutputs();
        CheckpointManifest manifest = null;
        if (checkpoint) {
            manifest = checkpoints.write(producer, calls.nextUnprocessed, state, system);
        }
        producer.sendOffsetsToTransaction(Map.of(logPartition,
                new OffsetAndMetadata(calls.nextUnprocessed, calls.committedMetadata(runtime.objectMapper()))), group);
        producer.commitTransaction();
        LOG.debugf("Immortal %s: committed %d records in %d us", immortal.name, uncommitted,
                TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
        uncommitted = 0;
        if (sentRequests && live) {
            immortal.armTimeouts();
        }
        if (manifest != null) {
            checkpointNow = false;
            schedule.succeeded(manifest.checkpointId(), manifest.logOffset());
            if (drainedNanos >= 0) {
                LOG.infof("Immortal %s: checkpoint %s at log offset %d taken after a drain: impulses waited %d ms for"
                        + " the replies to the outstanding calls", immortal.name, manifest.checkpointId(),
                        manifest.logOffset(), TimeUnit.NANOSECONDS.toMillis(drainedNanos));
                drainedNanos = -1;
            }
            LOG.debugf("Immortal %s: checkpoint %s at log offset %d, %d bytes in %d chunks, %d ms", immortal.name,
                    manifest.checkpointId(), manifest.logOffset(), manifest.size(), manifest.chunks(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            retained.addLast(manifest);
            while (retained.size() > Math.max(1, config.checkpoint().retained())) {
                retained.removeFirst();
            }
            trim(retained.peekFirst());
        }
    }

    /**
     * Sends the queued outputs in the open transaction, except those an earlier instance wrote. An output that cannot
     * be sent ({@link OutputGuard}) would fail the commit on every replay: a call that expects a reply is answered
     * instead with a failed reply in this immortal's own log, so the caller's {@code Uni} fails at the same point on
     * every replay; a reply or a fork is dropped, with a log line naming the record that made it.
     *
     * @return whether a call that expects a reply was sent
     */
    private boolean sendOutputs() throws Exception {
        boolean requests = false;
        for (Calls.Output output : calls.outputs) {
            if (calls.alreadyWritten(output)) {
                continue;
            }
            Envelope envelope = output.envelope();
            ProducerRecord<byte[], byte[]> record = envelope.toProducerRecord(output.topic());
            ImmortalException refusal = outputs.refusal(output, record);
            if (refusal != null) {
                if (output.request() == null) {
                    LOG.errorf("Immortal %s: dropped the %s (call %s) made by the record at offset %d of %s: %s",
                            immortal.name, envelope.kind() == Kind.REPLY ? "reply" : "fork",
                            Admission.shown(envelope.callId()), output.source(), immortal.logTopic, refusal.getMessage());
                    continue;
                }
                record = Envelope.failedReply(immortal.name, envelope.callId(), envelope.loggedAt(),
                        StoredFailures.toReply(runtime.objectMapper(), refusal), immortal.name, output.sequence())
                        .toProducerRecord(immortal.logTopic);
            } else if (output.request() != null) {
                requests = true;
            }
            producer.send(record, outputs.callback(output));
        }
        calls.outputs.clear();
        return requests;
    }

    /**
     * Deletes what recovery can no longer need: checkpoints older than the oldest retained one and, if enabled, the
     * log before it.
     */
    private void trim(CheckpointManifest oldest) {
        Map<TopicPartition, RecordsToDelete> deletions = new java.util.HashMap<>();
        deletions.put(checkpoints.partition(), RecordsToDelete.beforeOffset(oldest.firstChunkOffset()));
        if (config.log().trim()) {
            deletions.put(logPartition, RecordsToDelete.beforeOffset(oldest.logOffset()));
        }
        runtime.admin().deleteRecords(deletions).all().whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warnf("Immortal %s: trimming before checkpoint %s failed (retried after the next checkpoint): %s",
                        immortal.name, oldest.checkpointId(), failure.getMessage());
            }
        });
    }

    /**
     * Waits for the offset commit in flight, if any.
     *
     * @throws Exception what the commit threw
     */
    private void awaitCommitting() throws Exception {
        Future<?> current = committing;
        if (current == null) {
            return;
        }
        committing = null;
        try {
            current.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }

    private void closeClients() {
        Future<?> current = committing;
        committing = null;
        if (current != null) {
            try {
                current.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the commit of records that a later recovery replays anyway
                LOG.debugf(e, "Immortal %s: the last commit did not complete", immortal.name);
            }
        }
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (Exception e) {
                LOG.debugf(e, "Immortal %s: closing the consumer failed", immortal.name);
            }
            consumer = null;
        }
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (Exception e) {
                LOG.debugf(e, "Immortal %s: closing the producer failed", immortal.name);
            }
            producer = null;
        }
    }

    private static boolean isFencing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * Recovery is impossible without intervention: retrying would not help.
     */
    static final class RecoveryException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RecoveryException(String message) {
            super(message);
        }
    }
}
