package io.quarkiverse.ambrosia.deployment.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.ImmortalException;
import io.quarkiverse.ambrosia.ImmortalPendingException;
import io.quarkiverse.ambrosia.ImmortalUnavailableException;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A newer owner of the immortal's transactional id fences this instance: it can no longer commit, and stops taking
 * calls.
 */
public class ZombieFencingTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("fencing-test.", Counter.class);

    @Inject
    Counter counter;

    @Test
    void aFencedInstanceCannotCommitAndRejectsCalls() throws Exception {
        String bootstrap = EmbeddedKafkaBroker.sharedBootstrapServers();
        TopicPartition log = new TopicPartition("fencing-test.Counter", 0);
        assertThat(counter.add(1)).isEqualTo(1);
        assertThat(counter.add(2)).isEqualTo(3);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            awaitCommitted(admin, log, 2);

            // what a second instance of the application does when it starts
            try (KafkaProducer<byte[], byte[]> newer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fencing-test.Counter-0",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
                newer.initTransactions();

                // the zombie still runs what it reads, but its commit of offset 3 is refused
                assertThat(counter.add(3)).isEqualTo(6);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                ImmortalException rejection = null;
                while (rejection == null && System.nanoTime() < deadline) {
                    try {
                        counter.add(0);
                    } catch (ImmortalUnavailableException e) {
                        rejection = e;
                    } catch (ImmortalPendingException e) {
                        // recorded just before the fencing was noticed: the newer instance will run it
                        assertThat(e.getMessage()).contains("fenced by a newer instance");
                    }
                }
                assertThat(rejection).isNotNull();
                assertThat(rejection.getMessage()).contains("immortal Counter is fenced on this instance",
                        "fenced by a newer instance with transactional id fencing-test.Counter-0");
                assertThat(committed(admin, log)).isEqualTo(2);
                assertThatThrownBy(() -> counter.value()).isInstanceOf(ImmortalUnavailableException.class);
            }
        }
    }

    private static void awaitCommitted(Admin admin, TopicPartition partition, long offset) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (committed(admin, partition) < offset) {
            assertThat(System.nanoTime()).as("offset %d committed in time", offset).isLessThan(deadline);
            // the commit happens on the dispatcher thread after the caller got its result; no event tells the test
            Thread.sleep(20);
        }
    }

    private static long committed(Admin admin, TopicPartition partition) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("fencing-test.Counter")
                .partitionsToOffsetAndMetadata().get();
        OffsetAndMetadata committed = offsets.get(partition);
        return committed == null ? 0 : committed.offset();
    }
}
