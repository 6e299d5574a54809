package io.quarkiverse.ambrosia.runtime.internal.kafka;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka clients all immortals of this application instance share, created on first use: the producer that
 * appends impulses (and timeouts) to the logs, and the admin client.
 */
public final class SharedClients {

    private final KafkaClients clients;
    private final Duration appendTimeout;
    private volatile Producer<byte[], byte[]> appendProducer;
    private volatile Admin admin;

    public SharedClients(KafkaClients clients, Duration appendTimeout) {
        this.clients = clients;
        this.appendTimeout = appendTimeout;
    }

    public Producer<byte[], byte[]> appendProducer() {
        Producer<byte[], byte[]> producer = appendProducer;
        if (producer == null) {
            synchronized (this) {
                producer = appendProducer;
                if (producer == null) {
                    producer = new KafkaProducer<>(appendSettings());
                    appendProducer = producer;
                }
            }
        }
        return producer;
    }

    private Map<String, Object> appendSettings() {
        Map<String, Object> settings = clients.appendProducer("ambrosia-append");
        long append = appendTimeout.toMillis();
        // never block a caller (an event loop, often): without the log's metadata, or with the buffer full, send() and
        // partitionsFor() fail at once, and the call is certainly not recorded. Waiting for metadata would not help in
        // an outage: once no broker is reachable the producer rebootstraps (metadata.recovery.strategy), which forgets
        // every topic's partitions, so each call would wait the whole max.block.ms. A first call waits for the
        // metadata by itself (LogMetadata).
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0");
        // and keep the logs' metadata while the broker is reachable, however long an immortal is idle
        settings.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Long.toString(Long.MAX_VALUE / 2));
        // and the producer stops retrying a call about when its caller is told the outcome is unknown, so a call is
        // not recorded long after that answer (one request already at the broker still may be)
        long request = Math.min(millis(settings.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG), 30_000), append);
        long linger = millis(settings.get(ProducerConfig.LINGER_MS_CONFIG), 0);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(request));
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(append, linger + request)));
        return settings;
    }

    private static long millis(Object setting, long otherwise) {
        return setting == null ? otherwise : Long.parseLong(setting.toString().trim());
    }

    public Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                current = admin;
                if (current == null) {
                    current = Admin.create(clients.admin("ambrosia-admin"));
                    admin = current;
                }
            }
        }
        return current;
    }

    public void close() {
        Producer<byte[], byte[]> producer = appendProducer;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        Admin current = admin;
        if (current != null) {
            current.close(Duration.ofSeconds(5));
        }
    }
}
