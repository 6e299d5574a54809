package io.quarkiverse.ambrosia.deployment.impulses;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * The dispatcher itself drops a keyed call already run (two attempts recorded before either was answered), and a key
 * is forgotten once the retention window has passed in logged time, identically on every replay.
 */
public class IdempotencyWindowTest {

    private static final String TOPIC = "window-test.Bank";
    private static final long T = 1764115200000L;
    private static final long HOUR = 3_600_000L;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("window-test.", Bank.class)
            .setBeforeAllCustomizer(IdempotencyWindowTest::writeLog);

    @Inject
    Bank bank;

    @Test
    void duplicatesWithinTheWindowRunOnceAndExpiredKeysRunAgain() {
        // 5 (k1), its duplicate dropped, 7 (k2, 25 h later: k1 expires), 5 (k1 again, a new request)
        assertThat(bank.balance("zoe")).isEqualTo(17);
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
            send(producer, "c1", T, "k1", "[\"zoe\",5]");
            send(producer, "c2", T + 1000, "k1", "[\"zoe\",5]");
            send(producer, "c3", T + 25 * HOUR, "k2", "[\"zoe\",7]");
            send(producer, "c4", T + 25 * HOUR + 1, "k1", "[\"zoe\",5]");
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String callId, long loggedAt, String key,
            String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ambrosia-version", "1".getBytes(UTF_8));
        headers.add("kind", "impulse".getBytes(UTF_8));
        headers.add("target", "Bank#deposit".getBytes(UTF_8));
        headers.add("call-id", callId.getBytes(UTF_8));
        headers.add("logged-at", Long.toString(loggedAt).getBytes(UTF_8));
        headers.add("idempotency-key", key.getBytes(UTF_8));
        try {
            producer.send(new ProducerRecord<>(TOPIC, 0, (byte[]) null, value.getBytes(UTF_8), headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
