package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.quarkiverse.ambrosia.runtime.internal.wire.Kind;

/**
 * The engine of a partition task, without I/O: decodes a log record, asks the {@link AdmissionGate} whether and when
 * it runs, checks what decoding cannot ({@link Admission}), and runs it ({@link RecordExecutor}). Everything it
 * changes is the task's and the outputs it queues in the task's outbox; polling, committing and checkpointing are
 * the dispatcher's.
 */
public final class RecordProcessor {

    /**
     * What the processor tells about checkpoints: a drain asks for one where no call is outstanding.
     */
    public interface Drains {
        /** A drain record found no call outstanding: checkpoint here if one is due. */
        void drainFoundQuiescent();

        /** The replies a drain waited for are in: checkpoint here; impulses waited {@code waitedNanos}. */
        void drainEnded(long waitedNanos);
    }

    private final PartitionTask task;
    private final AdmissionGate gate;
    private final Admission admission;
    private final RecordExecutor executor;
    private final Drains drains;
    private final long maxClockSkewMillis;

    public RecordProcessor(PartitionTask task, Admission admission, RecordExecutor executor, Drains drains,
            Duration maxClockSkew) {
        this.task = task;
        this.gate = task.gate();
        this.admission = admission;
        this.executor = executor;
        this.drains = drains;
        this.maxClockSkewMillis = maxClockSkew.toMillis();
    }

    /**
     * Processes one record, or skips it: impulses (and drain records) run in log order but wait while the task
     * defers them; records from immortals (calls, replies, timeouts, resume) are applied as they arrive, once.
     */
    public void process(ConsumerRecord<byte[], byte[]> record) {
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
        switch (gate.admit(offset, kind, task.calls().size(), task.quiescent())) {
            case APPLY -> {
                run(record, envelope, invalid, task.committed().replayed(offset, true));
                long drained = gate.drainEnds(task.quiescent());
                if (drained >= 0) {
                    drains.drainEnded(drained);
                }
            }
            case RUN -> run(record, envelope, invalid, task.committed().replayed(offset, false));
            case DRAIN_NOW -> drains.drainFoundQuiescent();
            case RESUME, APPLIED_BEFORE, SKIP, DEFER, DRAIN_BEGIN -> {
                // nothing runs: the gate's position says where to read again
            }
        }
    }

    private void run(ConsumerRecord<byte[], byte[]> record, Envelope envelope, String invalid, boolean replaying) {
        String refusal = envelope == null ? invalid : admission.refusal(envelope);
        if (refusal != null) {
            executor.reject(record, envelope, refusal);
        } else {
            executor.execute(record, task.clock().stamp(record, envelope, maxClockSkewMillis), replaying);
        }
    }
}
