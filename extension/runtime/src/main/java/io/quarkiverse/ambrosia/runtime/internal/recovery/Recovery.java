package io.quarkiverse.ambrosia.runtime.internal.recovery;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointStore;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.Checkpointer;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.KeyedState;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.PartitionState;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.SystemStateCodec;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TopicNames;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.wire.CheckpointManifest;

/**
 * The recover stage: restores a task from the newest complete checkpoint of its partition (or the initial state),
 * positions its consumer where that checkpoint says to start, and reads what the previous instance committed, so the
 * replay that follows suppresses the outputs it already wrote.
 */
public final class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);

    private final TopicNames names;
    private final PartitionTask task;
    private final TopicPartition log;
    private final PartitionState bean;
    private final CheckpointStore store;
    private final SystemStateCodec system;
    private final Checkpointer checkpointer;
    private final ObjectMapper mapper;

    public Recovery(TopicNames names, PartitionTask task, PartitionState bean, CheckpointStore store, SystemStateCodec system,
            Checkpointer checkpointer, ObjectMapper mapper) {
        this.names = names;
        this.task = task;
        this.log = names.logPartition(task.partition());
        this.bean = bean;
        this.store = store;
        this.system = system;
        this.checkpointer = checkpointer;
        this.mapper = mapper;
    }

    /**
     * Restores the task and positions the consumer on its partition.
     *
     * @param consumer the consumer that reads the task's partition of the log, with those of other tasks: the
     *        partition is added to its assignment
     * @param restoreConsumer a consumer to read the checkpoints with
     * @return the log's end offset: the task is live once it has processed up to there
     * @throws RecoveryException if the log was trimmed past every checkpoint there is
     */
    public long recover(Consumer<byte[], byte[]> consumer, Consumer<byte[], byte[]> restoreConsumer) throws Exception {
        bean.ensureCreated();
        Optional<CheckpointStore.Loaded> checkpoint = store.loadLatest(restoreConsumer);
        Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
        if (assigned.add(log)) {
            consumer.assign(assigned);
        }
        long logStart = consumer.beginningOffsets(List.of(log)).get(log);
        String from;
        CheckpointManifest manifest = null;
        if (checkpoint.isPresent()) {
            manifest = checkpoint.get().manifest();
            boolean keyedCheckpoint = manifest.codec() != null && manifest.codec().startsWith(KeyedState.CODEC_PREFIX);
            if (keyedCheckpoint != bean.codecName().startsWith(KeyedState.CODEC_PREFIX)) {
                throw new RecoveryException("the newest checkpoint (" + manifest.checkpointId() + ") holds the state of "
                        + (keyedCheckpoint ? "a keyed" : "a singleton") + " immortal (codec " + manifest.codec()
                        + ") but " + names.immortal() + " is " + (keyedCheckpoint ? "a singleton" : "keyed")
                        + " now: a change between singleton and keyed needs a new immortal name (a new log)");
            }
            if (manifest.logOffset() < logStart) {
                throw new RecoveryException("the newest complete checkpoint (" + manifest.checkpointId() + ") is at log"
                        + " offset " + manifest.logOffset() + " but " + names.log() + " starts at " + logStart);
            }
            restore(checkpoint.get().state(), checkpoint.get().system(), manifest.logOffset());
            from = "checkpoint " + manifest.checkpointId() + " at log offset " + manifest.logOffset() + " ("
                    + manifest.size() + " bytes, codec " + manifest.codec()
                    + (keyedCheckpoint ? ", " + bean.keys() + " keys" : "") + ")";
        } else {
            if (logStart > 0) {
                throw new RecoveryException(names.log() + " starts at offset " + logStart + " (trimmed) but "
                        + names.checkpoints() + " holds no complete checkpoint");
            }
            restore(null, null, 0);
            from = "the initial state";
        }
        checkpointer.restored(manifest);
        long start = task.gate().nextUnprocessed();
        consumer.seek(log, start);
        OffsetAndMetadata committed = consumer.committed(Set.of(log)).get(log);
        task.committed().read(mapper, committed == null ? 0 : committed.offset(),
                committed == null ? null : committed.metadata());
        long liveAt = consumer.endOffsets(List.of(log)).get(log);
        LOG.infof("Immortal %s: recovering from %s; replaying %d records of %s-%d", names.immortal(), from,
                Math.max(0, liveAt - start), names.log(), log.partition());
        return liveAt;
    }

    /**
     * Replaces the bean's state and the task's with a checkpoint's ({@code null}: the initial state), under the write
     * lock, so no reader sees them half restored.
     */
    private void restore(byte[] state, byte[] systemPart, long logOffset) throws Exception {
        SystemStateCodec.SystemState restored = system.decode(systemPart);
        Lock lock = task.stateLock().writeLock();
        lock.lock();
        try {
            bean.restore(state);
            task.restore(restored, logOffset);
        } finally {
            lock.unlock();
        }
    }
}
