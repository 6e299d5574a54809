package io.quarkiverse.ambrosia.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.quarkiverse.ambrosia.testing.TopicReader;

/**
 * Recovery after kill -9: from the initial state by replaying the whole log, from the newest checkpoint plus the
 * records after it, and past a torn checkpoint.
 */
class RecoveryIT {

    @Test
    void withoutACheckpointTheWholeLogIsReplayed() throws Exception {
        String prefix = TestApp.newPrefix("replay");
        try (TestApp app = TestApp.start(prefix, Map.of("quarkus.ambrosia.checkpoint.interval-records", "1000000",
                "quarkus.ambrosia.checkpoint.interval", "1h"))) {
            long expected = addOneTo(app, 30);

            app.process.kill9();
            app.restart();

            assertThat(app.process.awaitLogLine("Immortal Tally: recovering", TestApp.READY))
                    .contains("recovering from the initial state; replaying 30 records");
            assertThat(total(app)).isEqualTo(expected);
            assertThat(TopicReader.readAll(TestApp.bootstrapServers(), prefix + "Tally.checkpoints")).isEmpty();
        }
    }

    @Test
    void theNewestCheckpointIsLoadedAndOnlyTheRecordsAfterItReplayed() throws Exception {
        String prefix = TestApp.newPrefix("checkpoint");
        try (TestApp app = TestApp.start(prefix, Map.of("quarkus.ambrosia.checkpoint.interval-records", "10",
                "quarkus.ambrosia.log.trim", "false"))) {
            long expected = addOneTo(app, 25);
            List<ConsumerRecord<byte[], byte[]>> manifests = manifests(prefix);
            assertThat(manifests).isNotEmpty();

            app.process.kill9();
            app.restart();

            String recovering = app.process.awaitLogLine("Immortal Tally: recovering", TestApp.READY);
            String newest = TopicReader.header(manifests.get(manifests.size() - 1), "checkpoint-id");
            assertThat(recovering).contains("recovering from checkpoint " + newest + " at log offset 20")
                    .contains("replaying 5 records");
            assertThat(total(app)).isEqualTo(expected);
        }
    }

    @Test
    void aTornCheckpointIsIgnored() throws Exception {
        String prefix = TestApp.newPrefix("torn");
        try (TestApp app = TestApp.start(prefix, Map.of("quarkus.ambrosia.checkpoint.interval-records", "10",
                "quarkus.ambrosia.log.trim", "false"))) {
            long expected = addOneTo(app, 25);
            List<ConsumerRecord<byte[], byte[]>> manifests = manifests(prefix);
            String complete = TopicReader.header(manifests.get(manifests.size() - 1), "checkpoint-id");
            app.process.kill9();

            // what a writer that died mid-checkpoint leaves: chunks, and a manifest whose chunks are not all there
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestApp.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
                String topic = prefix + "Tally.checkpoints";
                long firstChunk = producer.send(chunk(topic, "torn-1", 0, "{\"total\":99999")).get().offset();
                producer.send(chunk(topic, "torn-2", 0, "{\"total\":")).get();
                String manifest = "{\"version\":1,\"immortal\":\"Tally\",\"checkpointId\":\"torn-1\",\"logOffset\":25,"
                        + "\"chunks\":2,\"size\":30,\"sha256\":\"00\",\"firstChunkOffset\":" + firstChunk
                        + ",\"codec\":\"json\",\"createdAt\":0}";
                producer.send(new ProducerRecord<>(topic, 0, "torn-1".getBytes(UTF_8), manifest.getBytes(UTF_8),
                        headers("checkpoint-manifest", "torn-1"))).get();
                producer.send(chunk(topic, "torn-3", 0, "{\"total\":1")).get();
            }
            app.restart();

            assertThat(app.process.awaitLogLine("skipping checkpoint torn-1", TestApp.READY))
                    .contains("1 of 2 chunks found");
            assertThat(app.process.awaitLogLine("Immortal Tally: recovering", TestApp.READY))
                    .contains("recovering from checkpoint " + complete + " at log offset 20");
            assertThat(total(app)).isEqualTo(expected);
        }
    }

    @Test
    void theLogIsTrimmedUpToTheOldestRetainedCheckpointOnly() throws Exception {
        String prefix = TestApp.newPrefix("trim");
        try (TestApp app = TestApp.start(prefix, Map.of("quarkus.ambrosia.checkpoint.interval-records", "10",
                "quarkus.ambrosia.checkpoint.retained", "2"));
                Admin admin = Admin.create(Map.of("bootstrap.servers", TestApp.bootstrapServers()))) {
            long expected = addOneTo(app, 45);

            // checkpoints at offsets 10, 20, 30 and 40; the two newest are kept, so the log may start at 30
            TopicPartition log = new TopicPartition(prefix + "Tally", 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (earliest(admin, log) != 30) {
                assertThat(earliest(admin, log)).as("log start").isLessThan(30);
                assertThat(System.nanoTime()).as("log trimmed in time").isLessThan(deadline);
                // the deletion is asynchronous, after the checkpoint's commit; nothing announces it
                Thread.sleep(50);
            }
            List<ConsumerRecord<byte[], byte[]>> kept = manifests(prefix);
            assertThat(kept).hasSize(2);

            app.process.kill9();
            app.restart();

            assertThat(app.process.awaitLogLine("Immortal Tally: recovering", TestApp.READY))
                    .contains("at log offset 40").contains("replaying 5 records");
            assertThat(total(app)).isEqualTo(expected);
            assertThat(earliest(admin, log)).isEqualTo(30);
        }
    }

    private static long earliest(Admin admin, TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).partitionResult(partition).get().offset();
    }

    private static long addOneTo(TestApp app, int n) {
        long expected = 0;
        for (int i = 1; i <= n; i++) {
            expected += i;
            assertThat(app.post("/tally/add/" + i).body()).isEqualTo(Long.toString(expected));
        }
        return expected;
    }

    private static long total(TestApp app) {
        String body = app.get("/tally").body();
        return Long.parseLong(body.replaceAll(".*\"total\":(\\d+).*", "$1"));
    }

    private static List<ConsumerRecord<byte[], byte[]>> manifests(String prefix) {
        return TopicReader.readAll(TestApp.bootstrapServers(), prefix + "Tally.checkpoints").stream()
                .filter(r -> "checkpoint-manifest".equals(TopicReader.header(r, "kind"))).toList();
    }

    private static ProducerRecord<byte[], byte[]> chunk(String topic, String id, int index, String content) {
        RecordHeaders headers = headers("checkpoint-chunk", id);
        headers.add("chunk", Integer.toString(index).getBytes(UTF_8));
        return new ProducerRecord<>(topic, 0, id.getBytes(UTF_8), content.getBytes(UTF_8), headers);
    }

    private static RecordHeaders headers(String kind, String id) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ambrosia-version", "1".getBytes(UTF_8));
        headers.add("kind", kind.getBytes(UTF_8));
        headers.add("checkpoint-id", id.getBytes(UTF_8));
        return headers;
    }
}
