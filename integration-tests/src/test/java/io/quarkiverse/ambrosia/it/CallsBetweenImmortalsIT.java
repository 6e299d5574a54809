package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.quarkiverse.ambrosia.testing.TopicReader;

/**
 * Calls between two immortals of one application under SIGKILL: a replay runs the caller's continuations again with
 * the replies already in its log, without calling again; forks are applied exactly once however the process dies.
 */
class CallsBetweenImmortalsIT {

    // no checkpoint: a restart replays the whole log
    private static final Map<String, String> NO_CHECKPOINTS = Map.of("quarkus.ambrosia.checkpoint.interval-records",
            "1000000", "quarkus.ambrosia.checkpoint.interval", "1h");

    @Test
    void aReplayRunsTheContinuationsWithTheRepliesInTheLog() throws Exception {
        try (TestApp app = TestApp.start(TestApp.newPrefix("replies"), NO_CHECKPOINTS)) {
            for (int i = 1; i <= 5; i++) {
                assertThat(app.post("/relay/fetch").body()).isEqualTo(Integer.toString(i));
            }
            assertThat(app.get("/relay").body()).isEqualTo("[1,2,3,4,5]");

            app.process.kill9();
            app.restart();

            assertThat(app.process.awaitLogLine("Immortal Relay: recovering", TestApp.READY))
                    .contains("recovering from the initial state");
            // the continuations ran again with the same replies; no call was made again
            assertThat(app.get("/relay").body()).isEqualTo("[1,2,3,4,5]");
            assertThat(app.get("/source").body()).isEqualTo("issued=5 bumps=0");
            assertThat(TopicReader.readAll(TestApp.bootstrapServers(), app.prefix + "Source")).hasSize(5);
            assertThat(app.post("/relay/fetch").body()).isEqualTo("6");
        }
    }

    @Test
    void forksSentAreAppliedExactlyOnceAcrossKills() throws Exception {
        int forks = 50;
        try (TestApp app = TestApp.start(TestApp.newPrefix("forks"),
                // checkpoints often, keeping the whole log to count what was sent
                Map.of("quarkus.ambrosia.checkpoint.interval-records", "7", "quarkus.ambrosia.log.trim", "false"))) {
            int answered = 0;
            for (int round = 0; round < 6; round++) {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> response = app.post("/relay/fork/" + forks);
                    assertThat(response.statusCode()).isEqualTo(200);
                    answered++;
                }
                // killed right after an answer: the forks of the last impulse may not be committed yet
                app.process.kill9();
                app.restart();
            }
            List<ConsumerRecord<byte[], byte[]>> relayLog = TopicReader.readAll(TestApp.bootstrapServers(),
                    app.prefix + "Relay");
            long forkImpulses = relayLog.stream().filter(r -> "impulse".equals(TopicReader.header(r, "kind"))).count();
            assertThat(forkImpulses).isEqualTo(answered);
            assertThat(app.get("/source").body()).isEqualTo("issued=0 bumps=" + forkImpulses * forks);
            List<ConsumerRecord<byte[], byte[]>> sent = TopicReader.readAll(TestApp.bootstrapServers(),
                    app.prefix + "Source");
            Set<String> sequences = sent.stream().map(r -> TopicReader.header(r, "sequence")).collect(Collectors.toSet());
            // each fork was written once: no resend survived a recovery
            assertThat(sent).hasSize((int) forkImpulses * forks);
            assertThat(sequences).hasSize(sent.size());
        }
    }
}
