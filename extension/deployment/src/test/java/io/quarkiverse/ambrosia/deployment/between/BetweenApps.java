package io.quarkiverse.ambrosia.deployment.between;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The application of these tests: {@link Transfers} calling {@link Ledger} and immortals of other services, with a
 * short call timeout.
 */
final class BetweenApps {

    private BetweenApps() {
    }

    static QuarkusUnitTest app(String topicPrefix) {
        return TestApps.withImmortals(topicPrefix, Ledger.class, Transfers.class, Ghost.class, Nobody.class,
                LedgerByInterface.class, BetweenApps.class)
                .overrideConfigKey("quarkus.ambrosia.calls.timeout", "2s");
    }

    /**
     * Creates a topic no immortal consumes: calls to it are delivered and never answered.
     */
    static void createTopic(String name) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(1), Optional.empty()))).all().get();
        }
    }

    /**
     * Sends a ping to the ghost (outstanding until it times out), then enough impulses that a checkpoint falls due, and
     * waits until the drain record is in the log.
     *
     * @return the ping's outcome, and the drain record
     */
    static Drained pingWhileACheckpointFallsDue(Transfers transfers, String prefix) throws Exception {
        createTopic(prefix + "Ghost");
        CompletableFuture<String> ping = CompletableFuture.supplyAsync(() -> transfers.pingGhost().await().indefinitely());
        awaitRecords(prefix + "Ghost", null, 1);
        for (int i = 0; i < 3; i++) {
            transfers.credit("alice", 1);
        }
        return new Drained(ping, awaitRecords(prefix + "Transfers", "drain", 1).get(0));
    }

    record Drained(CompletableFuture<String> ping, ConsumerRecord<byte[], byte[]> drain) {
    }

    /**
     * Waits until the topic holds {@code count} records of that kind (any kind if {@code null}).
     *
     * @return those records
     */
    static List<ConsumerRecord<byte[], byte[]>> awaitRecords(String topic, String kind, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<ConsumerRecord<byte[], byte[]>> found = TopicReader.readAll(bootstrap(), topic).stream()
                    .filter(r -> kind == null || kind.equals(TopicReader.header(r, "kind"))).toList();
            if (found.size() >= count) {
                return found;
            }
            assertThat(System.nanoTime()).as("%d %s records in %s", count, kind, topic).isLessThan(deadline);
        }
    }

    static String bootstrap() {
        return EmbeddedKafkaBroker.sharedBootstrapServers();
    }
}
