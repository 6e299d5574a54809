package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.answer.ImpulseTable;
import io.quarkiverse.ambrosia.runtime.internal.recovery.RecoveryException;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;

/**
 * The system part of a checkpoint: what a task keeps besides the bean's state (docs/wire-format.md). Version 2 holds
 * the outcome table, the output sequence, the position of records from immortals, the sender watermarks and the log
 * clock; version 1 was the outcome table's JSON array alone.
 */
public final class SystemStateCodec {

    /**
     * @param lastLoggedAt the logged time of the last record run; absent (null) in checkpoints written before it was
     *        kept
     */
    public record SystemState(int version, List<ImpulseTable.Entry> impulses, long nextSequence, long appliedThrough,
            Map<String, Long> watermarks, Long lastLoggedAt) {
    }

    private final ObjectMapper mapper;

    public SystemStateCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @return the task's system state (empty for a task that has done nothing yet)
     */
    public byte[] encode(PartitionTask task) throws IOException {
        if (task.impulses().size() == 0 && task.outbox().nextSequence() == 0 && task.gate().appliedThrough() < 0
                && task.watermarks().isEmpty() && task.clock().last() == 0) {
            return new byte[0];
        }
        return mapper.writeValueAsBytes(new SystemState(2, task.impulses().snapshot(), task.outbox().nextSequence(),
                task.gate().appliedThrough(), task.watermarks().snapshot(), task.clock().last()));
    }

    /**
     * @return the state a checkpoint's system part ({@code null} or empty: the initial state) holds
     * @throws RecoveryException for a version this one does not read
     */
    public SystemState decode(byte[] system) throws IOException {
        if (system == null || system.length == 0) {
            return new SystemState(2, List.of(), 0, -1, Map.of(), 0L);
        }
        if (system[0] == '[') {
            // version 1: the outcome table alone
            ImpulseTable table = new ImpulseTable();
            table.decodeInto(mapper, system);
            return new SystemState(1, table.snapshot(), 0, -1, Map.of(), 0L);
        }
        SystemState state = mapper.readValue(system, SystemState.class);
        if (state.version() != 2) {
            throw new RecoveryException("the checkpoint's system part has version " + state.version()
                    + ", this version reads 1 and 2");
        }
        return state;
    }
}
