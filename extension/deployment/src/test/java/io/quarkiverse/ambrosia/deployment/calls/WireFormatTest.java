package io.quarkiverse.ambrosia.deployment.calls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Records written by another program, as docs/wire-format.md specifies them, before the application starts: the
 * test vector runs, and records that cannot run are rejected with a log line naming their offset, without stalling
 * the log.
 */
public class WireFormatTest {

    private static final String TOPIC = "wire-test.Counter";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("wire-test.", Counter.class)
            .setBeforeAllCustomizer(WireFormatTest::writeLog)
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue()
                    && record.getMessage().contains("rejected the record"))
            .assertLogRecords(records -> assertThat(records).extracting(r -> String.format(r.getMessage(), r.getParameters()))
                    .containsExactly(
                            "Immortal Counter: rejected the record at offset 1 of wire-test.Counter-0: missing header 'call-id'",
                            "Immortal Counter: rejected the record at offset 2 of wire-test.Counter-0: no method of immortal"
                                    + " Counter matches target 'Counter#nope'",
                            "Immortal Counter: rejected the record at offset 3 of wire-test.Counter-0: Counter.add takes 1"
                                    + " arguments, the record has more",
                            "Immortal Counter: rejected the record at offset 4 of wire-test.Counter-0: unsupported"
                                    + " ambrosia-version '2' (this version reads '1')"));

    @Inject
    Counter counter;

    @Test
    void theTestVectorRunsAndBadRecordsAreRejectedInPlace() {
        assertThat(counter.value()).isEqualTo(12);
        assertThat(counter.offsets()).containsExactly(0L, 5L);
        assertThat(counter.times()).containsExactly(1764115200000L, 1764115201000L);
    }

    static void writeLog() {
        String bootstrap = EmbeddedKafkaBroker.sharedBootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            EmbeddedKafkaBroker.awaitPartitionLeaders(admin, List.of(TOPIC), Duration.ofSeconds(30));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            // offset 0: the test vector of docs/wire-format.md
            send(producer, "1", "Counter#add", "5f0c6d2e-8a43-4d3b-9c1e-2b7f1a9e4c10", "1764115200000", "[5]");
            // offset 1: no call id
            send(producer, "1", "Counter#add", null, "1764115200500", "[100]");
            // offset 2: no such method
            send(producer, "1", "Counter#nope", "c2", "1764115200600", "[100]");
            // offset 3: too many arguments
            send(producer, "1", "Counter#add", "c3", "1764115200700", "[100,1]");
            // offset 4: a future version
            send(producer, "2", "Counter#add", "c4", "1764115200800", "[100]");
            // offset 5: the next good record runs
            send(producer, "1", "Counter#add", "c5", "1764115201000", "[7]");
            producer.flush();
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String version, String target, String callId,
            String loggedAt, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ambrosia-version", version.getBytes(UTF_8));
        headers.add("kind", "impulse".getBytes(UTF_8));
        headers.add("target", target.getBytes(UTF_8));
        if (callId != null) {
            headers.add("call-id", callId.getBytes(UTF_8));
        }
        headers.add("logged-at", loggedAt.getBytes(UTF_8));
        try {
            producer.send(new ProducerRecord<>(TOPIC, 0, (byte[]) null, value.getBytes(UTF_8), headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
