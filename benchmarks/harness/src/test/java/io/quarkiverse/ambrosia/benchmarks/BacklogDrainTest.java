package io.quarkiverse.ambrosia.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.benchmarks.BacklogDrain.Result;
import io.quarkiverse.ambrosia.benchmarks.BacklogDrain.Subject;
import io.quarkiverse.ambrosia.testing.AppProcess;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;

class BacklogDrainTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    // enough for several commits of either side after the warm-up even in a cold JVM, few enough to fill in a second
    private static final int RECORDS = 20_000;
    private static final int PAYLOAD = 10;
    private static final BacklogDrain.Backlog BACKLOG = new BacklogDrain.Backlog(RECORDS, PAYLOAD);
    // ["xxxxxxxxxx"]
    private static final int VALUE_BYTES = PAYLOAD + 4;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void prefillWritesImpulsesToCounterAddInTheWireFormat() {
        String topic = "prefill-" + id();
        BacklogDrain.prefill(broker.bootstrapServers(), topic, 3, 5);

        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(broker.bootstrapServers(), topic);
        assertThat(records).hasSize(3);
        assertThat(records).extracting(TopicReader::value).containsOnly("[\"xxxxx\"]");
        assertThat(records).extracting(ConsumerRecord::key).containsOnlyNulls();
        assertThat(records).extracting(record -> TopicReader.header(record, "ambrosia-version")).containsOnly("2");
        assertThat(records).extracting(record -> TopicReader.header(record, "kind")).containsOnly("impulse");
        assertThat(records).extracting(record -> TopicReader.header(record, "target")).containsOnly("Counter#add");
        assertThat(records).extracting(record -> TopicReader.header(record, "call-id")).doesNotHaveDuplicates()
                .doesNotContainNull();
        assertThat(records).extracting(record -> Long.parseLong(TopicReader.header(record, "logged-at")))
                .allSatisfy(loggedAt -> assertThat(loggedAt).isCloseTo(System.currentTimeMillis(), within(60_000L)));
    }

    @Test
    void prefillRefusesATopicThatExists() {
        String topic = "prefill-twice-" + id();
        BacklogDrain.prefill(broker.bootstrapServers(), topic, 1, 1);

        assertThatThrownBy(() -> BacklogDrain.prefill(broker.bootstrapServers(), topic, 1, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Topic " + topic + " exists already");
    }

    @Test
    void streamsCounterDrainsTheBacklogAndCountsEveryRecord() {
        String applicationId = "drain-streams-" + id();
        Result result = BacklogDrain.drain(broker.bootstrapServers(), Subject.streams(jar("streams.jar"), applicationId),
                BACKLOG, TIMEOUT);

        assertTimed(result);
        // what the Streams counter committed: the last value in its store's changelog
        List<ConsumerRecord<byte[], byte[]>> changelog = TopicReader.readAll(broker.bootstrapServers(),
                applicationId + "-counter-changelog");
        assertThat(changelog).isNotEmpty();
        ByteBuffer counter = ByteBuffer.wrap(changelog.get(changelog.size() - 1).value());
        assertThat(counter.getLong()).as("count").isEqualTo(RECORDS);
        assertThat(counter.getLong()).as("value bytes").isEqualTo((long) RECORDS * VALUE_BYTES);
    }

    @Test
    void ambrosiaCounterDrainsTheBacklogAndRunsEveryRecord() throws Exception {
        String prefix = "drain-ambrosia-" + id() + ".";
        Result result = BacklogDrain.drain(broker.bootstrapServers(), Subject.ambrosia(jar("app.jar"), prefix), BACKLOG,
                TIMEOUT);

        assertTimed(result);
        // every record ran (a rejected one would advance the offset too): the Counter checkpoints every 10000 records,
        // so its last checkpoint holds the state after all of them
        List<ConsumerRecord<byte[], byte[]>> checkpoints = TopicReader.readAll(broker.bootstrapServers(),
                prefix + "Counter.checkpoints");
        ConsumerRecord<byte[], byte[]> lastState = checkpoints.stream()
                .filter(record -> "checkpoint-chunk".equals(TopicReader.header(record, "kind"))
                        && TopicReader.header(record, "part") == null)
                .reduce((first, second) -> second).orElseThrow();
        JsonNode state = new ObjectMapper().readTree(lastState.value());
        assertThat(state.get("count").asLong()).isEqualTo(RECORDS);
        assertThat(state.get("bytes").asLong()).as("payload characters").isEqualTo((long) RECORDS * PAYLOAD);
    }

    @Test
    void aProcessThatExitsFailsTheDrainWithItsOutput() {
        String applicationId = "drain-exits-" + id();
        // the Streams counter without its arguments prints its usage and exits with code 2
        Subject exits = new Subject("no arguments", applicationId + ".input", applicationId,
                bootstrapServers -> AppProcess.builder(jar("streams.jar")));

        assertThatThrownBy(() -> BacklogDrain.drain(broker.bootstrapServers(), exits, new BacklogDrain.Backlog(10, 1, 0),
                TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no arguments exited with code 2 after committing 0 of 10 records")
                .hasMessageContaining("Usage: StreamsCounterMain");
    }

    @Test
    void aBacklogLeavesRecordsToTime() {
        assertThat(new BacklogDrain.Backlog(20_000, 100).warmupRecords()).isEqualTo(BacklogDrain.WARMUP_RECORDS);
        assertThatThrownBy(() -> new BacklogDrain.Backlog(2000, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 2000 records, 2000 of warm-up");
        assertThatThrownBy(() -> new BacklogDrain.Backlog(10, -1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payload size -1");
    }

    @Test
    void aComparisonDividesTheSubjectsRateByTheBaselines() {
        BacklogDrain.Comparison comparison = new BacklogDrain.Comparison(
                new Result("baseline", 1000, 14_000, 1_000_000_000L, 5_000_000_000L),
                new Result("subject", 1000, 14_000, 2_000_000_000L, 1_000_000_000L));

        assertThat(comparison.ratio()).isEqualTo(0.5);
        assertThat(comparison.summary()).isEqualTo(String.join(System.lineSeparator(),
                "baseline: 1000 records/s, 0.01 MB/s (1000 records in 1000 ms, timed from 5000 ms after the"
                        + " process started)",
                "subject: 500 records/s, 0.01 MB/s (1000 records in 2000 ms, timed from 1000 ms after the"
                        + " process started)",
                "ratio subject / baseline: 0.500"));
    }

    private static void assertTimed(Result result) {
        // timed from the first commit seen at or past the warm-up to the last
        assertThat(result.records()).isBetween(1L, (long) RECORDS - BacklogDrain.WARMUP_RECORDS);
        assertThat(result.bytes()).isEqualTo(result.records() * VALUE_BYTES);
        assertThat(result.nanos()).isPositive();
        assertThat(result.warmupNanos()).isPositive();
        assertThat(result.recordsPerSecond()).isCloseTo(result.records() * 1e9 / result.nanos(), within(1e-6));
        assertThat(result.bytesPerSecond()).isCloseTo(result.recordsPerSecond() * VALUE_BYTES, within(1e-3));
    }

    private static Path jar(String property) {
        String jar = System.getProperty(property);
        assertThat(jar).as("system property %s (set by the POM)", property).isNotNull();
        assertThat(Path.of(jar)).as("%s: build the reactor, or that module, first", property).exists();
        return Path.of(jar);
    }

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
