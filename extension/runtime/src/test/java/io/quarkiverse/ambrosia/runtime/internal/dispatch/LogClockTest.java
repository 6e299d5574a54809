package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.checkpoint.SystemStateCodec;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;

/**
 * The logged time of a record: within the skew of its broker timestamp, never before the previous record's, and
 * restored with the checkpoint so that a replay stamps the same.
 */
class LogClockTest {

    private static final long T = 1764115200000L;
    private static final long SKEW = 60_000;

    @Test
    void aTimeWithinTheSkewIsKept() {
        LogClock clock = new LogClock();
        assertThat(clock.advance(T, T + 5, SKEW)).isEqualTo(T);
        assertThat(clock.advance(T + 10, T + 5, SKEW)).isEqualTo(T + 10);
    }

    @Test
    void aTimeOutsideTheSkewIsTakenAsItsNearestBound() {
        assertThat(new LogClock().advance(99999999999999L, T, SKEW)).isEqualTo(T + SKEW);
        assertThat(new LogClock().advance(0, T, SKEW)).isEqualTo(T - SKEW);
        assertThat(new LogClock().advance(T, T, Long.MAX_VALUE)).isEqualTo(T);
    }

    @Test
    void timeNeverGoesBack() {
        LogClock clock = new LogClock();
        clock.advance(T, T, SKEW);
        assertThat(clock.advance(T - 30_000, T + 1, SKEW)).isEqualTo(T);
        assertThat(clock.advance(99999999999999L, T + 2, SKEW)).isEqualTo(T + 2 + SKEW);
        assertThat(clock.advance(T + 3, T + 3, SKEW)).isEqualTo(T + 2 + SKEW);
    }

    @Test
    void withoutABrokerTimestampTheLoggedTimeIsKeptButNotBeforeThePrevious() {
        LogClock clock = new LogClock();
        assertThat(clock.advance(T, RecordBatch.NO_TIMESTAMP, SKEW)).isEqualTo(T);
        assertThat(clock.advance(T - 1, RecordBatch.NO_TIMESTAMP, SKEW)).isEqualTo(T);
    }

    @Test
    void theLastTimeIsCheckpointedAndOldCheckpointsHaveNone() throws Exception {
        SystemStateCodec codec = new SystemStateCodec(new ObjectMapper());
        PartitionTask task = new PartitionTask(0, 10);
        task.clock().advance(T, T, SKEW);
        byte[] system = codec.encode(task);
        assertThat(new String(system, UTF_8)).contains("\"lastLoggedAt\":" + T);

        PartitionTask restored = new PartitionTask(0, 10);
        restored.restore(codec.decode(system), 0);
        assertThat(restored.clock().advance(T - 1, T, SKEW)).isEqualTo(T);

        restored.restore(codec.decode(("{\"version\":2,\"impulses\":[],\"nextSequence\":4,\"appliedThrough\":-1,"
                + "\"watermarks\":{}}").getBytes(UTF_8)), 0);
        assertThat(restored.clock().last()).isZero();
        assertThat(restored.outbox().nextSequence()).isEqualTo(4);
    }
}
