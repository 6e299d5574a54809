package io.quarkiverse.ambrosia.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkiverse.ambrosia.testing.TopicWriter;

/**
 * On a cluster that authenticates clients (SASL/PLAIN) and enforces ACLs (StandardAuthorizer), the application works
 * with its own credentials and the ACLs the guide lists (Operations, Security) on its topic prefix: calls are recorded
 * and run, checkpoints written, the log trimmed. Another principal of the cluster, with ACLs of its own, can neither
 * write to the application's log nor read it.
 */
class SecuredClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void onlyTheApplicationsPrincipalWritesAndReadsItsLogs() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().saslPlain("admin", "admin-secret")
                .user("bank", "bank-secret").user("intruder", "intruder-secret").authorizer().start()) {
            String prefix = TestApp.newPrefix("secured");
            String log = prefix + "Tally";
            try (Admin admin = Admin.create(new HashMap<>(broker.clientProperties("admin")))) {
                List<AclBinding> acls = new ArrayList<>(applicationAcls("User:bank", prefix));
                // another application of the cluster, allowed everything on its own prefix
                acls.addAll(applicationAcls("User:intruder", "intruder."));
                admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            }

            Map<String, String> config = new HashMap<>();
            broker.clientProperties("bank").forEach((key, value) -> config.put("kafka." + key, value));
            // a checkpoint after every record, each followed by trimming the log before it
            config.put("quarkus.ambrosia.checkpoint.interval-records", "1");
            try (TestApp app = TestApp.start(prefix, broker.bootstrapServers(), config)) {
                Map<String, String> admin = broker.clientProperties("admin");
                assertThat(app.post("/tally/add/5").body()).isEqualTo("5");
                assertThat(offsets(admin, log).end()).as("records in " + log).isEqualTo(1);
                await("a checkpoint of " + log, () -> !TopicReader.readAll(admin, log + ".checkpoints").isEmpty());
                // trimming (deleteRecords) works with the application's ACLs
                await("the trimming of " + log, () -> offsets(admin, log).beginning() == 1);

                assertThatThrownBy(() -> intrude(broker, log)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
                assertThatThrownBy(() -> read(broker.clientProperties("intruder"), log))
                        .isInstanceOf(TopicAuthorizationException.class);
                assertThatThrownBy(() -> read(broker.clientProperties("intruder"), log + ".checkpoints"))
                        .isInstanceOf(TopicAuthorizationException.class);

                assertThat(app.post("/tally/add/2").body()).isEqualTo("7");
                assertThat(offsets(admin, log).end()).as("records in " + log).isEqualTo(2);
                assertThat(app.get("/tally").body()).startsWith("{\"total\":7,");
            }
        }
    }

    /**
     * What the guide's Operations section (Security) tells operators to grant an application on its topic prefix.
     */
    private static List<AclBinding> applicationAcls(String principal, String prefix) {
        List<AclBinding> acls = new ArrayList<>();
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
                AclOperation.DESCRIBE, AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS)) {
            acls.add(allow(principal, ResourceType.TOPIC, prefix, operation));
        }
        acls.add(allow(principal, ResourceType.GROUP, prefix, AclOperation.READ));
        acls.add(allow(principal, ResourceType.GROUP, prefix, AclOperation.DESCRIBE));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, prefix, AclOperation.WRITE));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, prefix, AclOperation.DESCRIBE));
        return acls;
    }

    private static AclBinding allow(String principal, ResourceType type, String prefix, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, prefix, PatternType.PREFIXED),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /**
     * Writes a well-formed impulse to the log as the intruder, with an ordinary (idempotent) producer.
     */
    private static void intrude(EmbeddedKafkaBroker broker, String log) throws Exception {
        Map<String, Object> config = new HashMap<>(broker.clientProperties("intruder"));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        RecordHeaders headers = new RecordHeaders();
        TopicWriter.impulse("Tally#add", "forged-1", System.currentTimeMillis())
                .forEach((name, value) -> headers.add(name, value.getBytes(UTF_8)));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(log, 0, (byte[]) null, "[1000]".getBytes(UTF_8), headers)).get(30,
                    TimeUnit.SECONDS);
        }
    }

    /**
     * Polls the topic from its start until the broker refuses, or for 30 seconds.
     */
    private static void read(Map<String, String> connection, String topic) {
        Map<String, Object> config = new HashMap<>(connection);
        // a group the intruder may use: only the topic is refused
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "intruder.reader");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
        }
    }

    private static Offsets offsets(Map<String, String> connection, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(new HashMap<>(connection),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partition = List.of(new TopicPartition(topic, 0));
            return new Offsets(consumer.beginningOffsets(partition).get(partition.get(0)),
                    consumer.endOffsets(partition).get(partition.get(0)));
        }
    }

    private record Offsets(long beginning, long end) {
    }

    /**
     * Waits for something the application does after answering (a checkpoint, a trim), which no event announces.
     */
    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %s", what, TIMEOUT).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
