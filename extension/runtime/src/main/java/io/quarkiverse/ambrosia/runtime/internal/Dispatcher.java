package io.quarkiverse.ambrosia.runtime.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import io.quarkiverse.ambrosia.StateCodec;
import io.quarkiverse.ambrosia.runtime.AmbrosiaConfig;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalInstance.Status;

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
    private final Deque<CheckpointManifest> retained = new ArrayDeque<>();
    private volatile boolean running = true;
    volatile Thread thread;

    private Producer<byte[], byte[]> producer;
    private Consumer<byte[], byte[]> consumer;
    private Object bean;
    private byte[] initialState;
    private long nextOffset;
    private long committedAtStart;
    private long liveAt;
    private boolean live;
    private long recoveryStartNanos;
    private long processedSinceCheckpoint;
    private long lastCheckpointNanos;

    Dispatcher(ImmortalInstance immortal, ImmortalRuntime runtime) {
        this.immortal = immortal;
        this.runtime = runtime;
        this.config = runtime.config();
        this.codec = runtime.stateCodec();
        this.logPartition = new TopicPartition(immortal.logTopic, 0);
        this.group = new ConsumerGroupMetadata(immortal.groupId);
        this.checkpoints = new CheckpointStore(immortal.name, immortal.checkpointTopic, runtime.objectMapper(),
                (int) Math.min(Integer.MAX_VALUE, config.checkpoint().chunkSize().asLongValue()),
                codec instanceof JsonStateCodec ? JsonStateCodec.NAME : codec.getClass().getName());
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
        Topics.ensure(runtime.admin(), List.of(immortal.logTopic, immortal.checkpointTopic),
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
            initialState = codec.encode(bean, immortal.beanClass);
        }
        Optional<CheckpointStore.Loaded> checkpoint = checkpoints.loadLatest(consumer);
        consumer.assign(List.of(logPartition));
        long logStart = consumer.beginningOffsets(List.of(logPartition)).get(logPartition);
        retained.clear();
        String from;
        if (checkpoint.isPresent()) {
            CheckpointManifest manifest = checkpoint.get().manifest();
            if (manifest.logOffset() < logStart) {
                throw new RecoveryException("the newest complete checkpoint (" + manifest.checkpointId() + ") is at log"
                        + " offset " + manifest.logOffset() + " but " + immortal.logTopic + " starts at " + logStart);
            }
            immortal.restore(codec, bean, checkpoint.get().state(), checkpoint.get().system(), runtime.objectMapper());
            nextOffset = manifest.logOffset();
            retained.add(manifest);
            from = "checkpoint " + manifest.checkpointId() + " at log offset " + nextOffset + " (" + manifest.size()
                    + " bytes)";
        } else {
            if (logStart > 0) {
                throw new RecoveryException(immortal.logTopic + " starts at offset " + logStart + " (trimmed) but "
                        + immortal.checkpointTopic + " holds no complete checkpoint");
            }
            immortal.restore(codec, bean, initialState, null, runtime.objectMapper());
            nextOffset = 0;
            from = "the initial state";
        }
        consumer.seek(logPartition, nextOffset);
        OffsetAndMetadata committed = consumer.committed(Set.of(logPartition)).get(logPartition);
        committedAtStart = committed == null ? 0 : committed.offset();
        liveAt = consumer.endOffsets(List.of(logPartition)).get(logPartition);
        processedSinceCheckpoint = 0;
        lastCheckpointNanos = System.nanoTime();
        LOG.infof("Immortal %s: recovering from %s; replaying %d records of %s", immortal.name, from,
                Math.max(0, liveAt - nextOffset), immortal.logTopic);
        goLiveIfCaughtUp();
    }

    private void process() throws Exception {
        while (running) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            if (!records.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record : records.records(logPartition)) {
                    immortal.execute(record, record.offset() < committedAtStart);
                    nextOffset = record.offset() + 1;
                    processedSinceCheckpoint++;
                }
                commit();
            }
            goLiveIfCaughtUp();
            if (checkpointDue()) {
                checkpoint();
            }
        }
    }

    private void goLiveIfCaughtUp() {
        if (!live && consumer.position(logPartition) >= liveAt) {
            live = true;
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStartNanos);
            immortal.changeStatus(Status.LIVE, "live");
            LOG.infof("Immortal %s is live at offset %d of %s (recovered in %d ms)", immortal.name, nextOffset,
                    immortal.logTopic, millis);
        }
    }

    /**
     * Commits the consumed offset: the records before it count as processed. Outputs of the batch (none yet) belong
     * to the same transaction.
     */
    private void commit() {
        LOG.debugf("Immortal %s: committing offset %d", immortal.name, nextOffset);
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(Map.of(logPartition, new OffsetAndMetadata(nextOffset)), group);
        producer.commitTransaction();
    }

    private boolean checkpointDue() {
        if (processedSinceCheckpoint == 0) {
            return false;
        }
        return processedSinceCheckpoint >= config.checkpoint().intervalRecords()
                || System.nanoTime() - lastCheckpointNanos >= config.checkpoint().interval().toNanos();
    }

    private void checkpoint() throws Exception {
        long start = System.nanoTime();
        byte[] state = codec.encode(bean, immortal.beanClass);
        byte[] system = immortal.impulses().size() == 0 ? new byte[0] : immortal.impulses().encode(runtime.objectMapper());
        producer.beginTransaction();
        CheckpointManifest manifest = checkpoints.write(producer, nextOffset, state, system);
        producer.sendOffsetsToTransaction(Map.of(logPartition, new OffsetAndMetadata(nextOffset)), group);
        producer.commitTransaction();
        processedSinceCheckpoint = 0;
        lastCheckpointNanos = System.nanoTime();
        LOG.debugf("Immortal %s: checkpoint %s at log offset %d, %d bytes in %d chunks, %d ms", immortal.name,
                manifest.checkpointId(), manifest.logOffset(), manifest.size(), manifest.chunks(),
                TimeUnit.NANOSECONDS.toMillis(lastCheckpointNanos - start));
        retained.addLast(manifest);
        while (retained.size() > Math.max(1, config.checkpoint().retained())) {
            retained.removeFirst();
        }
        trim(retained.peekFirst());
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

    private void closeClients() {
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
