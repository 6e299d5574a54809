package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.quarkiverse.ambrosia.runtime.internal.kafka.TaskProducer;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.wire.CheckpointManifest;

/**
 * The checkpoint stage's mechanism: encodes a task's state (the bean's and the system part) before the transaction
 * that writes it, writes it in that transaction, and once it commits, trims what recovery can no longer need. When to
 * take one is {@link CheckpointSchedule}'s decision and the dispatcher's.
 */
public final class Checkpointer {

    private static final Logger LOG = Logger.getLogger(Checkpointer.class);

    /** A checkpoint encoded, to write. */
    public record Encoded(byte[] state, byte[] system) {
    }

    private final String immortal;
    private final PartitionTask task;
    private final PartitionState bean;
    private final SystemStateCodec system;
    private final CheckpointStore store;
    private final CheckpointSchedule schedule;
    private final Admin admin;
    private final TopicPartition log;
    private final boolean trimLog;
    private final int retainedCount;
    private final Deque<CheckpointManifest> retained = new ArrayDeque<>();
    // a checkpoint is to be taken at the next record (a drain ended), and how long impulses waited for it, or -1
    private boolean checkpointNow;
    private long drainedNanos = -1;

    public Checkpointer(String immortal, PartitionTask task, PartitionState bean, SystemStateCodec system,
            CheckpointStore store, CheckpointSchedule schedule, Admin admin, TopicPartition log, boolean trimLog,
            int retainedCount) {
        this.immortal = immortal;
        this.task = task;
        this.bean = bean;
        this.system = system;
        this.store = store;
        this.schedule = schedule;
        this.admin = admin;
        this.log = log;
        this.trimLog = trimLog;
        this.retainedCount = Math.max(1, retainedCount);
    }

    public boolean checkpointNow() {
        return checkpointNow;
    }

    /**
     * A drain record found no call outstanding: checkpoint at once if one is due.
     */
    public void checkpointNow(boolean now) {
        checkpointNow = now;
    }

    /**
     * A drain ended: the replies are in, checkpoint here, then the impulses that waited run.
     */
    public void drained(long waitedNanos) {
        checkpointNow = true;
        drainedNanos = waitedNanos;
    }

    /**
     * A recovery restored the checkpoint {@code manifest} (or the initial state, {@code null}).
     */
    public void restored(CheckpointManifest manifest) {
        retained.clear();
        if (manifest != null) {
            retained.add(manifest);
        }
        checkpointNow = false;
        drainedNanos = -1;
        schedule.restored(manifest == null ? 0 : manifest.logOffset());
    }

    /**
     * Encodes the task's state at {@code position}, before the transaction opens: a state that does not encode costs
     * this checkpoint (logged, retried with back-off), never the commit.
     *
     * @return the encoded checkpoint, or {@code null} if it does not encode
     */
    public Encoded encode(long position) {
        byte[] state = null;
        try {
            state = bean.encode();
            return new Encoded(state, system.encode(task));
        } catch (Exception e) {
            schedule.failed(position, state == null ? "state" : "table of calls and idempotency keys", e);
            // after a drain too: the impulses that waited for this checkpoint run again
            checkpointNow = false;
            drainedNanos = -1;
            return null;
        }
    }

    /**
     * Writes the checkpoint in the producer's open transaction.
     */
    public CheckpointManifest write(TaskProducer producer, long position, Encoded encoded) throws Exception {
        return store.write(producer.client(), position, encoded.state(), encoded.system());
    }

    /**
     * The transaction holding the checkpoint committed: it counts, and older ones may go.
     */
    public void committed(CheckpointManifest manifest, long startNanos) {
        checkpointNow = false;
        schedule.succeeded(manifest.checkpointId(), manifest.logOffset());
        if (drainedNanos >= 0) {
            LOG.infof("Immortal %s: checkpoint %s at log offset %d taken after a drain: impulses waited %d ms for the"
                    + " replies to the outstanding calls", immortal, manifest.checkpointId(), manifest.logOffset(),
                    TimeUnit.NANOSECONDS.toMillis(drainedNanos));
            drainedNanos = -1;
        }
        LOG.debugf("Immortal %s: checkpoint %s at log offset %d of %s, %d bytes in %d chunks, %d ms", immortal,
                manifest.checkpointId(), manifest.logOffset(), log, manifest.size(), manifest.chunks(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        retained.addLast(manifest);
        while (retained.size() > retainedCount) {
            retained.removeFirst();
        }
        trim(retained.peekFirst());
    }

    /**
     * Deletes what recovery can no longer need: checkpoints older than the oldest retained one and, if enabled, the
     * log before it.
     */
    private void trim(CheckpointManifest oldest) {
        Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
        deletions.put(store.partition(), RecordsToDelete.beforeOffset(oldest.firstChunkOffset()));
        if (trimLog) {
            deletions.put(log, RecordsToDelete.beforeOffset(oldest.logOffset()));
        }
        admin.deleteRecords(deletions).all().whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warnf("Immortal %s: trimming before checkpoint %s failed (retried after the next checkpoint): %s",
                        immortal, oldest.checkpointId(), failure.getMessage());
            }
        });
    }
}
