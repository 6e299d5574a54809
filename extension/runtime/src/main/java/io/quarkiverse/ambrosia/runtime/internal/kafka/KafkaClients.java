package io.quarkiverse.ambrosia.runtime.internal.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.quarkus.kafka.client.tls.QuarkusKafkaSslEngineFactory;

/**
 * Client configurations: the application's {@code kafka.*} properties, then {@code quarkus.ambrosia.kafka.*}, then
 * the settings exactly-once depends on, which nothing overrides.
 * <p>
 * Every client gets every connection setting ({@code bootstrap.servers}, {@code security.protocol}, {@code ssl.*},
 * {@code sasl.*}) and every property Kafka does not know: those configure plugins (an SSL engine factory, a SASL
 * callback handler, Quarkus's TLS registry through {@code tls-configuration-name}), which read them from the client's
 * configuration.
 */
public final class KafkaClients {

    /** What quarkus-kafka-client names a TLS registry configuration with, for its SSL engine factory. */
    public static final String TLS_CONFIGURATION_NAME = "tls-configuration-name";

    // producer and consumer settings an admin client does not know: left out of its configuration, whose unknown
    // properties are otherwise kept for plugins
    private static final Set<String> NOT_FOR_ADMIN = notForAdmin();

    private final Map<String, Object> base;

    public KafkaClients(Map<String, Object> kafkaConfig, Map<String, String> overrides) {
        base = new HashMap<>(kafkaConfig);
        base.putAll(overrides);
        String tlsConfiguration = overrides.getOrDefault(TLS_CONFIGURATION_NAME, overrides.get("tls.configuration.name"));
        if (tlsConfiguration != null && !overrides.containsKey(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG)) {
            // what quarkus-kafka-client does for kafka.tls-configuration-name: the name alone would be ignored
            base.remove("tls.configuration.name");
            base.put(TLS_CONFIGURATION_NAME, tlsConfiguration);
            base.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, QuarkusKafkaSslEngineFactory.class.getName());
        }
        // set per client below; an application-wide group.id (Quarkus defaults it to the application name) must not leak
        base.remove(ConsumerConfig.GROUP_ID_CONFIG);
        base.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    }

    public String bootstrapServers() {
        Object servers = base.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        return servers == null ? null : servers.toString();
    }

    /** For appending calls to logs: durable before acknowledged, never duplicated by retries. */
    public Map<String, Object> appendProducer(String clientId) {
        Map<String, Object> config = new HashMap<>(base);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /** For a dispatcher's commits and checkpoints: one transactional id per immortal partition fences zombies. */
    public Map<String, Object> transactionalProducer(String transactionalId) {
        Map<String, Object> config = appendProducer(transactionalId);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return config;
    }

    /** For reading a log or checkpoint topic: committed records only, positions managed by the dispatcher. */
    public Map<String, Object> consumer(String clientId, String groupId, int maxPollRecords) {
        Map<String, Object> config = new HashMap<>(base);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /**
     * For an instance's membership in the group that shares a keyed immortal's partitions among the instances:
     * cooperative rebalancing, so that partitions that stay where they are keep running while others move.
     */
    public Map<String, Object> membership(String clientId, String groupId, Duration sessionTimeout,
            Duration heartbeatInterval, String groupInstanceId) {
        Map<String, Object> config = consumer(clientId, groupId, 1);
        if (groupInstanceId != null) {
            // static membership: a restarted instance takes its partitions back at once, without a rebalance
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId);
        }
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(heartbeatInterval.toMillis()));
        return config;
    }

    /** For creating and describing topics and trimming them: the connection settings without those of the data clients. */
    public Map<String, Object> admin(String clientId) {
        Map<String, Object> config = new HashMap<>(base);
        config.keySet().removeAll(NOT_FOR_ADMIN);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    private static Set<String> notForAdmin() {
        Set<String> names = new HashSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.removeAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }
}
