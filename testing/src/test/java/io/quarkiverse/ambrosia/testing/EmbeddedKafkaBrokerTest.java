package io.quarkiverse.ambrosia.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void sharedBrokerIsStartedOncePerJvm() {
        String first = EmbeddedKafkaBroker.sharedBootstrapServers();
        String second = EmbeddedKafkaBroker.sharedBootstrapServers();

        assertThat(second).isEqualTo(first);
        assertThat(System.getProperty(EmbeddedKafkaBroker.SHARED_BOOTSTRAP_SERVERS_PROPERTY)).isEqualTo(first);
    }

    @Test
    void readCommittedConsumerSeesOnlyCommittedTransactions() throws Exception {
        String bootstrap = EmbeddedKafkaBroker.sharedBootstrapServers();
        String topic = createTopic(bootstrap);

        try (KafkaProducer<String, String> producer = producer(bootstrap, "tx-" + topic)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "a"));
            producer.send(new ProducerRecord<>(topic, "k", "b"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "c"));
            producer.commitTransaction();
        }

        assertThat(readAll(bootstrap, topic, 3)).containsExactly("a", "b", "c");
    }

    @Test
    void persistentLogDirKeepsClusterIdPortAndData(@TempDir Path dir) throws Exception {
        String clusterId;
        int port;
        String topic;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(dir).start()) {
            System.out.printf("Embedded broker (fresh log dir) started in %d ms%n", broker.startTime().toMillis());
            clusterId = broker.clusterId();
            port = broker.port();
            topic = createTopic(broker.bootstrapServers());
            try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers(), null)) {
                producer.send(new ProducerRecord<>(topic, "k", "survivor")).get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(dir.resolve(EmbeddedKafkaBroker.CLUSTER_ID_FILE)).hasContent(clusterId);
        assertThat(dir.resolve(EmbeddedKafkaBroker.PORT_FILE)).hasContent(Integer.toString(port));

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(dir).start()) {
            System.out.printf("Embedded broker (restarted on its log dir) started in %d ms%n",
                    broker.startTime().toMillis());
            assertThat(broker.clusterId()).isEqualTo(clusterId);
            assertThat(broker.port()).isEqualTo(port);
            try (Admin admin = admin(broker.bootstrapServers())) {
                assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(clusterId);
            }
            assertThat(readAll(broker.bootstrapServers(), topic, 1)).containsExactly("survivor");
        }
        assertThat(dir).isDirectory();
        assertThat(Files.list(dir)).isNotEmpty();
    }

    @Test
    void saslBrokerWithAuthorizerLetsUsersDoWhatTheirAclsAllowOnly() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().saslPlain("admin", "admin-secret")
                .user("alice", "alice-secret").user("mallory", "mallory-secret").authorizer().start()) {
            String topic = "secured-" + UUID.randomUUID();
            try (Admin admin = Admin.create(new HashMap<>(broker.clientProperties("admin")))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                EmbeddedKafkaBroker.awaitPartitionLeaders(admin, List.of(topic), TIMEOUT);
                admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                        new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                        .all().get(30, TimeUnit.SECONDS);
            }

            try (KafkaProducer<String, String> alice = producer(broker.clientProperties("alice"))) {
                alice.send(new ProducerRecord<>(topic, "k", "from alice")).get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> mallory = producer(broker.clientProperties("mallory"))) {
                assertThatThrownBy(
                        () -> mallory.send(new ProducerRecord<>(topic, "k", "from mallory")).get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            Map<String, String> wrongPassword = broker.clientProperties("alice");
            wrongPassword.computeIfPresent(SaslConfigs.SASL_JAAS_CONFIG, (key, jaas) -> jaas.replace("alice-secret", "guess"));
            try (Admin impostor = Admin.create(new HashMap<>(wrongPassword))) {
                assertThatThrownBy(() -> impostor.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
            assertThat(readAll(broker.clientProperties("admin"), topic, 1)).containsExactly("from alice");
        }
    }

    private static String createTopic(String bootstrap) throws Exception {
        String topic = "topic-" + UUID.randomUUID();
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            EmbeddedKafkaBroker.awaitPartitionLeaders(admin, List.of(topic), TIMEOUT);
        }
        return topic;
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static KafkaProducer<String, String> producer(Map<String, String> connection) {
        Map<String, Object> config = new HashMap<>(connection);
        // an idempotent producer would first be refused InitProducerId, as a ClusterAuthorizationException
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaProducer<String, String> producer(String bootstrap, String transactionalId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static List<String> readAll(String bootstrap, String topic, int expected) {
        return readAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic, expected);
    }

    private static List<String> readAll(Map<String, String> connection, String topic, int expected) {
        Map<String, Object> config = new HashMap<>(connection);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            // One more poll: nothing past the expected records may show up (e.g. an aborted one).
            consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
        }
        return values;
    }
}
