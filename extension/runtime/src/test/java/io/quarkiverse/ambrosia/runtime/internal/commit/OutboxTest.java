package io.quarkiverse.ambrosia.runtime.internal.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.quarkiverse.ambrosia.runtime.internal.wire.Kind;

/**
 * Outputs a replay makes again are not written again: an earlier instance committed every output numbered below the
 * sequence it committed with its offset.
 */
class OutboxTest {

    @Test
    void outputsNumberedBelowTheCommittedSequenceAreSuppressed() {
        ObjectMapper mapper = new ObjectMapper();
        CommittedPosition committed = new CommittedPosition();
        // the previous instance wrote outputs 0 to 2 (next sequence 3) before it died
        committed.read(mapper, 10, CommittedPosition.metadata(mapper, 7, 3));
        Outbox outbox = new Outbox(committed);
        outbox.restore(1);

        // the replay from the checkpoint (sequence 1) makes outputs 1 to 4 again
        for (int i = 0; i < 4; i++) {
            long sequence = outbox.allocateSequence();
            outbox.add(new Output(sequence, "p.Ledger", 0, call(sequence), null, 20 + i));
        }
        outbox.add(new Output(-1, "p.Transfers", 0,
                Envelope.control(Kind.DRAIN, "Transfers", "d", 1), null, -1));

        List<Output> taken = outbox.take();
        assertThat(taken).extracting(Output::sequence).containsExactly(1L, 2L, 3L, 4L, -1L);
        assertThat(taken.stream().filter(o -> !outbox.alreadyWritten(o)).map(Output::sequence))
                .as("written: the new outputs and the extension's own records, never one the previous instance wrote")
                .containsExactly(3L, 4L, -1L);
        assertThat(outbox.isEmpty()).isTrue();
        assertThat(outbox.nextSequence()).isEqualTo(5);
    }

    @Test
    void aFirstInstanceSuppressesNothing() {
        CommittedPosition committed = new CommittedPosition();
        committed.read(new ObjectMapper(), 0, null);
        Outbox outbox = new Outbox(committed);
        Output first = new Output(outbox.allocateSequence(), "p.Ledger", 0, call(0), null, 0);
        assertThat(outbox.alreadyWritten(first)).isFalse();
        assertThat(committed.replayed(0, false)).isFalse();
    }

    @Test
    void theCommittedPositionSaysWhichRecordsARecoveryReplays() {
        CommittedPosition committed = new CommittedPosition();
        ObjectMapper mapper = new ObjectMapper();
        committed.read(mapper, 10, CommittedPosition.metadata(mapper, 12, 3));
        assertThat(committed.replayed(9, false)).isTrue();
        assertThat(committed.replayed(10, false)).isFalse();
        // records from immortals were applied up to 12, past the first impulse not run
        assertThat(committed.replayed(12, true)).isTrue();
        assertThat(committed.replayed(13, true)).isFalse();
    }

    private static Envelope call(long sequence) {
        return Envelope.call("Ledger#credit(long)", "Transfers:" + sequence, 1, null, "[1]".getBytes(), "Transfers",
                sequence, "p.Transfers");
    }
}
