package io.quarkiverse.ambrosia.runtime.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.answer.ImpulseTable;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.LogClock;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * The dispatcher's bookkeeping for calls between immortals and for impulses that wait, owned by the dispatcher thread.
 * <p>
 * Checkpointed (in the checkpoint's system part): the next output sequence number, the highest sequence number
 * received from each sender (its watermark: a record at or below it is a duplicate and dropped), the logged time of
 * the last record run ({@link #clock}), and {@link #appliedThrough}. Everything else is empty at a checkpoint, which is taken only where no call is outstanding
 * and no handler waits.
 * <p>
 * Impulses (and drain records) run in log order, but may have to wait: while {@link #deferring}, they are skipped and
 * re-read later from {@link #nextUnprocessed}, while the records from immortals (calls, replies, timeouts) are applied
 * as they arrive. So at any point, every impulse before {@code nextUnprocessed} has run, none after it has, and every
 * record from an immortal up to {@code appliedThrough} has been applied. Both follow from the log alone, so a replay
 * defers exactly the same impulses.
 */
public final class Calls {

    /**
     * The system part of a checkpoint, version 2 (version 1 was the impulse table's JSON array alone).
     *
     * @param lastLoggedAt the logged time of the last record run ({@link LogClock}); absent (null) in checkpoints
     *        written before it was kept
     */
    record SystemState(int version, List<ImpulseTable.Entry> impulses, long nextSequence, long appliedThrough,
            Map<String, Long> watermarks, Long lastLoggedAt) {
    }

    /** What the consumer group's committed offset carries besides the offset (its metadata, as JSON). */
    record Committed(long appliedThrough, long nextSequence) {
    }

    /**
     * A record to write in the next transaction.
     *
     * @param sequence the output's sequence number, or -1 for the extension's own records (drain, resume)
     * @param topic where it goes
     * @param envelope the record
     * @param request the call waiting for its reply, for a call that expects one
     * @param source the offset of the record that made it (for a reply, of the call it answers), or -1 for the
     *        extension's own records
     */
    public record Output(long sequence, String topic, Envelope envelope, Outstanding request, long source) {
    }

    /**
     * A call to another immortal waiting for its reply; completes (on the dispatcher) when the reply or the timeout is
     * applied.
     */
    public static final class Outstanding extends CompletableFuture<Object> {
        final String callId;
        final Handler target;
        final String principal;
        /** Epoch milliseconds: when the call was made, plus the call timeout. */
        final long deadline;
        volatile ScheduledFuture<?> timer;

        Outstanding(String callId, Handler target, String principal, long deadline) {
            this.callId = callId;
            this.target = target;
            this.principal = principal;
            this.deadline = deadline;
        }

        void cancelTimer() {
            ScheduledFuture<?> current = timer;
            if (current != null) {
                current.cancel(false);
            }
        }
    }

    // checkpointed
    long nextSequence;
    long appliedThrough = -1;
    final Map<String, Long> watermarks = new HashMap<>();
    final LogClock clock = new LogClock();

    // derived from the log position or empty at a checkpoint
    long nextUnprocessed;
    boolean deferring;
    boolean draining;
    long drainStartedNanos;
    /** Calls waiting for replies; read by the timeout timer thread. */
    final Map<String, Outstanding> outstanding = new ConcurrentHashMap<>();
    /** Handlers whose Uni or CompletionStage has not completed yet. */
    int openInvocations;
    final List<Output> outputs = new ArrayList<>();

    // what the previous instance committed: outputs numbered below committedSequence were written, never again
    long committedSequence;
    long committedAppliedThrough = -1;
    long committedNextUnprocessed;

    boolean quiescent() {
        return outstanding.isEmpty() && openInvocations == 0;
    }

    boolean mustDefer(int maxOutstanding) {
        return draining || outstanding.size() >= maxOutstanding;
    }

    /**
     * @return whether the record numbered {@code sequence} by {@code sender} is new; raises the sender's watermark
     */
    boolean accept(String sender, long sequence) {
        if (sequence < 0) {
            return true;
        }
        Long watermark = watermarks.get(sender);
        if (watermark != null && sequence <= watermark) {
            return false;
        }
        watermarks.put(sender, sequence);
        return true;
    }

    long allocateSequence() {
        return nextSequence++;
    }

    /**
     * @return whether the output was already written by an earlier instance (a replay reproduces it)
     */
    boolean alreadyWritten(Output output) {
        return output.sequence() >= 0 && output.sequence() < committedSequence;
    }

    String committedMetadata(ObjectMapper mapper) {
        try {
            return mapper.writeValueAsString(new Committed(appliedThrough, nextSequence));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads what the previous instance committed: where it was, and how far its outputs got.
     */
    void readCommitted(ObjectMapper mapper, long offset, String metadata) {
        committedNextUnprocessed = offset;
        committedAppliedThrough = -1;
        committedSequence = 0;
        if (metadata == null || metadata.isEmpty() || metadata.charAt(0) != '{') {
            return;
        }
        try {
            Committed committed = mapper.readValue(metadata, Committed.class);
            committedAppliedThrough = committed.appliedThrough();
            committedSequence = committed.nextSequence();
        } catch (IOException e) {
            throw new Dispatcher.RecoveryException("the committed offset's metadata '" + metadata + "' cannot be read: "
                    + e.getMessage());
        }
    }

    /**
     * @return whether the record at that offset was processed by an earlier instance (informational:
     *         {@code Immortals.replaying()})
     */
    boolean replayed(long offset, boolean fromImmortal) {
        return offset < committedNextUnprocessed || (fromImmortal && offset <= committedAppliedThrough);
    }

    byte[] encode(ObjectMapper mapper, ImpulseTable impulses) throws IOException {
        if (impulses.size() == 0 && nextSequence == 0 && appliedThrough < 0 && watermarks.isEmpty()
                && clock.last() == 0) {
            return new byte[0];
        }
        return mapper.writeValueAsBytes(new SystemState(2, impulses.snapshot(), nextSequence, appliedThrough,
                new HashMap<>(watermarks), clock.last()));
    }

    /**
     * Restores a checkpoint's system part ({@code null} or empty: the initial state) and forgets everything in flight.
     */
    void restore(ObjectMapper mapper, byte[] system, ImpulseTable impulses, long logOffset) throws IOException {
        for (Outstanding call : outstanding.values()) {
            call.cancelTimer();
        }
        outstanding.clear();
        openInvocations = 0;
        outputs.clear();
        deferring = false;
        draining = false;
        watermarks.clear();
        nextSequence = 0;
        appliedThrough = -1;
        clock.restore(0);
        nextUnprocessed = logOffset;
        if (system == null || system.length == 0) {
            impulses.replace(List.of());
            return;
        }
        if (system[0] == '[') {
            // version 1: the impulse table alone
            impulses.decodeInto(mapper, system);
            return;
        }
        SystemState state = mapper.readValue(system, SystemState.class);
        if (state.version() != 2) {
            throw new Dispatcher.RecoveryException("the checkpoint's system part has version " + state.version()
                    + ", this version reads 1 and 2");
        }
        impulses.replace(state.impulses() == null ? List.of() : state.impulses());
        nextSequence = state.nextSequence();
        appliedThrough = state.appliedThrough();
        if (state.watermarks() != null) {
            watermarks.putAll(state.watermarks());
        }
        clock.restore(state.lastLoggedAt() == null ? 0 : state.lastLoggedAt());
    }
}
