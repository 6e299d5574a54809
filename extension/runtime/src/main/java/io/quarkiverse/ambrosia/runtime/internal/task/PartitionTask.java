package io.quarkiverse.ambrosia.runtime.internal.task;

import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.quarkiverse.ambrosia.runtime.internal.answer.ImpulseTable;
import io.quarkiverse.ambrosia.runtime.internal.answer.RunningKeys;
import io.quarkiverse.ambrosia.runtime.internal.calls.OutgoingCalls;
import io.quarkiverse.ambrosia.runtime.internal.calls.SenderWatermarks;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.CheckpointHealth;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.PartitionState;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.SystemStateCodec;
import io.quarkiverse.ambrosia.runtime.internal.commit.CommittedPosition;
import io.quarkiverse.ambrosia.runtime.internal.commit.Outbox;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.AdmissionGate;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.LogClock;

/**
 * One partition of an immortal's log as this instance processes it: everything the partition's records decide, and
 * nothing that talks to Kafka. Its dispatcher thread owns it; callers and reads see only {@link #status()}, the
 * outcome table (thread-safe on its own) and, under the read lock, the bean's state.
 * <p>
 * Checkpointed (the system part, {@link SystemStateCodec}): the outcome table, the output sequence, the position of
 * records from immortals, the sender watermarks and the log clock. Derived from the log position or empty at a
 * checkpoint: the admission decisions under way, the outbox, the outgoing calls and the keys still running.
 */
public final class PartitionTask {

    private final int partition;
    private final PartitionState state;
    private final TaskStatus status;
    private final CheckpointHealth checkpointHealth = new CheckpointHealth();
    private final AdmissionGate gate;
    private final CommittedPosition committed = new CommittedPosition();
    private final Outbox outbox = new Outbox(committed);
    private final OutgoingCalls calls = new OutgoingCalls();
    private final SenderWatermarks watermarks = new SenderWatermarks();
    // outcomes of keyed calls; changed by the dispatcher under the write lock, checkpointed
    private final ImpulseTable impulses = new ImpulseTable();
    private final RunningKeys runningKeys = new RunningKeys();
    private final LogClock clock = new LogClock();
    // the dispatcher runs records under the write lock, @ReadOnly methods read under the read lock
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();

    public PartitionTask(int partition, int maxOutstanding) {
        this(partition, maxOutstanding, null);
    }

    /**
     * @param state the application's state in this partition, or {@code null} where handlers run on the bean the
     *        invoker looks up (tests of the engine alone)
     */
    public PartitionTask(int partition, int maxOutstanding, PartitionState state) {
        this(partition, maxOutstanding, state, new TaskStatus());
    }

    /**
     * @return the stand-in for a partition another application instance owns: calls to it are recorded here, nothing
     *         of its state is
     */
    public static PartitionTask elsewhere(int partition) {
        return new PartitionTask(partition, 1, null, new TaskStatus(TaskState.ELSEWHERE,
                "partition " + partition + " is owned by another instance of the application, or by none yet"));
    }

    private PartitionTask(int partition, int maxOutstanding, PartitionState state, TaskStatus status) {
        this.partition = partition;
        this.state = state;
        this.status = status;
        this.gate = new AdmissionGate(maxOutstanding, System::nanoTime);
    }

    public int partition() {
        return partition;
    }

    /**
     * @param key the record's immortal key, or {@code null}
     * @return what a record of that key runs on; the caller holds the write lock
     */
    public Object instanceFor(String key) {
        return state == null ? null : state.instanceFor(key);
    }

    public PartitionState state() {
        return state;
    }

    public TaskStatus status() {
        return status;
    }

    public CheckpointHealth checkpointHealth() {
        return checkpointHealth;
    }

    public AdmissionGate gate() {
        return gate;
    }

    public Outbox outbox() {
        return outbox;
    }

    public OutgoingCalls calls() {
        return calls;
    }

    public SenderWatermarks watermarks() {
        return watermarks;
    }

    public ImpulseTable impulses() {
        return impulses;
    }

    public RunningKeys runningKeys() {
        return runningKeys;
    }

    public LogClock clock() {
        return clock;
    }

    public CommittedPosition committed() {
        return committed;
    }

    public ReentrantReadWriteLock stateLock() {
        return stateLock;
    }

    /**
     * @return whether no call is outstanding and no handler waits: where a checkpoint may be taken
     */
    public boolean quiescent() {
        return calls.quiescent();
    }

    /**
     * @return how many log records were processed after the newest checkpoint: what a recovery would replay
     */
    public long recordsSinceCheckpoint() {
        return Math.max(0, status.processedOffset() + 1 - checkpointHealth.checkpointOffset());
    }

    /**
     * Replaces the system state with a checkpoint's, at its log offset, and forgets everything in flight. The caller
     * holds the write lock (with the bean's state restored under it too).
     */
    public void restore(SystemStateCodec.SystemState state, long logOffset) {
        calls.clear();
        runningKeys.clear();
        outbox.restore(state.nextSequence());
        gate.restore(logOffset, state.appliedThrough());
        watermarks.restore(state.watermarks());
        clock.restore(state.lastLoggedAt() == null ? 0 : state.lastLoggedAt());
        impulses.replace(state.impulses() == null ? List.of() : state.impulses());
    }

    /**
     * @return the task's deterministic state, for comparing two runs of the same records: what a checkpoint would
     *         hold, and where the task stands in its log
     */
    public Snapshot snapshot() {
        return new Snapshot(gate.nextUnprocessed(), gate.appliedThrough(), gate.deferring(), gate.draining(),
                outbox.nextSequence(), watermarks.snapshot(), clock.last(), impulses.snapshot().stream()
                        .map(e -> e.key() + "@" + e.offset() + "=" + (e.failed()
                                ? "!" + e.errorType()
                                : new String(e.result() == null ? new byte[0] : e.result(),
                                        java.nio.charset.StandardCharsets.UTF_8)))
                        .toList(),
                calls.size());
    }

    /**
     * A task's deterministic state at one point (see {@link #snapshot()}).
     */
    public record Snapshot(long nextUnprocessed, long appliedThrough, boolean deferring, boolean draining,
            long nextSequence, Map<String, Long> watermarks, long lastLoggedAt, List<String> outcomes,
            int outstanding) {
    }
}
