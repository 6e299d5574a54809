package io.quarkiverse.ambrosia.runtime.internal.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of an immortal's log a key's records go to: Kafka's default partitioning of the key's UTF-8 bytes
 * (murmur2, made positive, modulo the partition count), so that any Kafka client in any language that writes the key
 * as the record key with its default partitioner picks the same partition. A singleton immortal has no key and one
 * partition, {@link TopicNames#PARTITION}.
 */
public final class KeyRouting {

    private KeyRouting() {
    }

    /**
     * @return the partition, in {@code [0, partitions)}, of the records of {@code key}
     */
    public static int partition(String key, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("an immortal's log has at least one partition, not " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % partitions;
    }
}
