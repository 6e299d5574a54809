package io.quarkiverse.ambrosia.deployment.between;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A checkpoint due while a call waits for its reply: a drain record makes impulses wait, the checkpoint is taken
 * once the reply (here the timeout) is in, then the impulses that waited run.
 */
public class CheckpointDrainTest {

    private static final String PREFIX = "drain-test.";

    @RegisterExtension
    static final QuarkusUnitTest TEST = BetweenApps.app(PREFIX)
            .overrideConfigKey("quarkus.ambrosia.checkpoint.interval-records", "3")
            // long enough that the checkpoint falls due before the ping times out
            .overrideConfigKey("quarkus.ambrosia.calls.timeout", "10s")
            .overrideConfigKey("quarkus.ambrosia.checkpoint.drain-timeout", "20s");

    @Inject
    Transfers transfers;

    @Test
    void theCheckpointWaitsForTheOutstandingCallAndImpulsesWaitForTheCheckpoint() throws Exception {
        // a checkpoint falls due with the ping outstanding
        BetweenApps.Drained drained = BetweenApps.pingWhileACheckpointFallsDue(transfers, PREFIX);
        ConsumerRecord<byte[], byte[]> drain = drained.drain();

        // recorded after the drain record: it runs once the ping has timed out and the checkpoint is taken
        assertThat(transfers.timeoutsSoFar()).isEqualTo(1);
        assertThat(drained.ping().get(30, TimeUnit.SECONDS)).startsWith("ImmortalCallTimeoutException");

        List<ConsumerRecord<byte[], byte[]>> log = TopicReader.readAll(BetweenApps.bootstrap(), PREFIX + "Transfers");
        long deferred = log.stream().filter(r -> r.offset() > drain.offset())
                .filter(r -> "Transfers#timeoutsSoFar".equals(TopicReader.header(r, "target"))).findFirst().orElseThrow()
                .offset();
        long timeout = log.stream().filter(r -> "timeout".equals(TopicReader.header(r, "kind"))).findFirst()
                .orElseThrow().offset();
        assertThat(timeout).isGreaterThan(deferred);

        ObjectMapper mapper = new ObjectMapper();
        List<ConsumerRecord<byte[], byte[]>> checkpoints = TopicReader.readAll(BetweenApps.bootstrap(),
                PREFIX + "Transfers.checkpoints");
        ConsumerRecord<byte[], byte[]> manifest = checkpoints.stream()
                .filter(r -> "checkpoint-manifest".equals(TopicReader.header(r, "kind"))).reduce((a, b) -> b)
                .orElseThrow();
        // the state includes everything before the impulse that waited, and the timeout after it
        assertThat(mapper.readTree(manifest.value()).get("logOffset").asLong()).isEqualTo(deferred);
        String id = TopicReader.header(manifest, "checkpoint-id");
        JsonNode system = mapper.readTree(checkpoints.stream()
                .filter(r -> id.equals(TopicReader.header(r, "checkpoint-id")))
                .filter(r -> "system".equals(TopicReader.header(r, "part"))).findFirst().orElseThrow().value());
        assertThat(system.get("version").asInt()).isEqualTo(2);
        assertThat(system.get("appliedThrough").asLong()).isEqualTo(timeout);
        assertThat(system.get("nextSequence").asLong()).isEqualTo(4);
    }
}
