package io.quarkiverse.ambrosia.deployment.keyed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.runtime.internal.kafka.KeyRouting;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;

/**
 * A keyed immortal on one application instance: each key has its own state, its records go to the partition its key
 * routes to (with the key as the record key), calls between keys are exactly once, and idempotency keys and
 * {@code 202} locations work on every partition.
 */
public class KeyedImmortalTest {

    private static final String TOPIC = "keyed-test.Accounts";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("keyed-test.", Accounts.class);

    @Inject
    Accounts accounts;

    @Test
    void eachKeyHasItsOwnState() {
        for (int i = 0; i < 30; i++) {
            given().contentType(ContentType.JSON).body(Integer.toString(i)).post("/accounts/own-" + i + "/deposit")
                    .then().statusCode(200).body(equalTo(Integer.toString(i)));
        }
        given().contentType(ContentType.JSON).body("100").post("/accounts/own-7/deposit").then().statusCode(200)
                .body(equalTo("107"));
        for (int i = 0; i < 30; i++) {
            given().get("/accounts/own-" + i).then().statusCode(200).body(equalTo(Integer.toString(i + (i == 7 ? 100 : 0))));
            assertThat(accounts.offsets("own-" + i)).hasSize(i == 7 ? 2 : 1);
        }
        // a key never called reads as a fresh state, and is not created by the read
        given().get("/accounts/nobody").then().statusCode(200).body(equalTo("0"));
        assertThat(accounts.offsets("nobody")).isEmpty();
    }

    @Test
    void recordsGoToTheirKeysPartitionWithTheKeyAsRecordKey() throws Exception {
        Map<String, Long> recordedAt = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String key = "routed-" + i;
            accounts.deposit(key, 1);
            recordedAt.put(key, accounts.offsets(key).get(0));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", EmbeddedKafkaBroker.sharedBootstrapServers()))) {
            assertThat(admin.describeTopics(List.of(TOPIC, TOPIC + ".checkpoints")).allTopicNames().get().values())
                    .allSatisfy(description -> assertThat(description.partitions()).hasSize(4));
        }
        Map<String, ConsumerRecord<byte[], byte[]>> found = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < recordedAt.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                    if (recordedAt.containsKey(key)) {
                        found.put(key, record);
                    }
                }
            }
        }
        assertThat(found).hasSameSizeAs(recordedAt);
        found.forEach((key, record) -> {
            assertThat(record.partition()).as(key).isEqualTo(KeyRouting.partition(key, 4));
            assertThat(record.offset()).as(key).isEqualTo(recordedAt.get(key));
            assertThat(new String(record.headers().lastHeader("ambrosia-version").value(), StandardCharsets.UTF_8))
                    .isEqualTo("3");
        });
        // twenty keys over four partitions: more than one is used
        assertThat(found.values().stream().map(ConsumerRecord::partition).distinct()).hasSizeGreaterThan(1);
    }

    @Test
    void aTransferBetweenKeysCreditsTheOtherKeyOnce() {
        String from = keyOnAnotherPartitionThan("to-0", "from-");
        accounts.deposit(from, 100);
        given().contentType(ContentType.JSON).body("30").post("/accounts/" + from + "/transfer/to-0").then()
                .statusCode(200).body(equalTo("70"));
        // the reply came after the credit's transaction: the other key's task has run it
        assertThat(accounts.balance("to-0")).isEqualTo(30);
        assertThat(accounts.offsets("to-0")).hasSize(1);
        assertThat(accounts.balance(from)).isEqualTo(70);
    }

    @Test
    void idempotencyKeysAndLocationsWorkOnEveryPartition() {
        String key = keyOnPartitionAbove0("retried-");
        int partition = KeyRouting.partition(key, 4);
        String idempotencyKey = UUID.randomUUID().toString();
        for (int attempt = 0; attempt < 2; attempt++) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey).body("25")
                    .post("/accounts/" + key + "/deposit").then().statusCode(200).body(equalTo("25"));
        }
        assertThat(accounts.offsets(key)).hasSize(1);

        String location = given().contentType(ContentType.JSON).header("Prefer", "respond-async").body("5")
                .post("/accounts/" + key + "/deposit").then().statusCode(202).extract().header("Location");
        assertThat(URI.create(location).getQuery()).isEqualTo("partition=" + partition);
        given().header("Prefer", "wait=10").get(location).then().statusCode(200).body(equalTo("30"));
        given().get("/ambrosia/impulses/Accounts/x?partition=4").then().statusCode(404)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:unknown-partition"));
    }

    @Test
    void aNullKeyIsRefusedBeforeAnythingIsRecorded() {
        assertThatThrownBy(() -> accounts.deposit(null, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The @Key argument 'id' of Accounts.deposit is null");
    }

    private static String keyOnPartitionAbove0(String prefix) {
        for (int i = 0;; i++) {
            if (KeyRouting.partition(prefix + i, 4) > 0) {
                return prefix + i;
            }
        }
    }

    private static String keyOnAnotherPartitionThan(String other, String prefix) {
        for (int i = 0;; i++) {
            if (KeyRouting.partition(prefix + i, 4) != KeyRouting.partition(other, 4)) {
                return prefix + i;
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaBroker.sharedBootstrapServers(), ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName(), ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    }
}
