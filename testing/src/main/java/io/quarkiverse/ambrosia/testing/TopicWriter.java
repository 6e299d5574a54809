package io.quarkiverse.ambrosia.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes records the way another program would, for tests of what an immortal does with a log it did not write:
 * records with chosen headers and values, in partition 0, each acknowledged before the next.
 */
public final class TopicWriter implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    private TopicWriter(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    /**
     * Creates the topic (one partition) if it does not exist, waits for its leader, and opens a writer on it.
     */
    public static TopicWriter create(String bootstrapServers, String topic) {
        return create(bootstrapServers, topic, 1);
    }

    /**
     * Creates the topic with that many partitions if it does not exist, waits for its leaders, and opens a writer on
     * it.
     */
    public static TopicWriter create(String bootstrapServers, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create " + topic, e.getCause());
                }
            }
            EmbeddedKafkaBroker.awaitPartitionLeaders(admin, List.of(topic), Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new TopicWriter(bootstrapServers, topic);
    }

    /**
     * Headers for a log record as docs/wire-format.md defines them; entries with a {@code null} value are left out.
     */
    public static Map<String, String> impulse(String target, String callId, long loggedAt) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ambrosia-version", "1");
        headers.put("kind", "impulse");
        headers.put("target", target);
        headers.put("call-id", callId);
        headers.put("logged-at", Long.toString(loggedAt));
        return headers;
    }

    /**
     * Appends one record and waits for its acknowledgement.
     *
     * @return its offset
     */
    public long send(Map<String, String> headers, String key, String value) {
        return send(headers, key, value, 0);
    }

    /**
     * Appends one record to a partition and waits for its acknowledgement.
     *
     * @return its offset
     */
    public long send(Map<String, String> headers, String key, String value, int partition) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, headerValue) -> {
            if (headerValue != null) {
                recordHeaders.add(name, headerValue.getBytes(UTF_8));
            }
        });
        try {
            return producer.send(new ProducerRecord<>(topic, partition, key == null ? null : key.getBytes(UTF_8),
                    value.getBytes(UTF_8), recordHeaders)).get().offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Cannot write to " + topic, e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
