package io.quarkiverse.ambrosia.runtime.internal.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A key's partition is the one Kafka's own producer picks for that record key, for any partition count: so a client
 * in another language that sets the key and lets its default partitioner choose writes where the owner reads.
 */
class KeyRoutingTest {

    @Test
    void aKeyGoesWhereKafkasProducerPutsIt() {
        SplittableRandom random = new SplittableRandom(42);
        List<String> keys = new ArrayList<>(List.of("", "alice", "bob", "account-17", "Zürich", "键", "😀"));
        for (int i = 0; i < 500; i++) {
            keys.add(Long.toString(random.nextLong(), 36));
        }
        for (int partitions : new int[]{1, 2, 3, 12, 64}) {
            // what KafkaProducer.partition does for a record with a key and no partitioner configured
            List<Integer> kafka = new ArrayList<>();
            for (String key : keys) {
                kafka.add(BuiltInPartitioner.partitionForKey(new StringSerializer().serialize("ambrosia.Account", key),
                        partitions));
            }
            assertThat(keys.stream().map(key -> KeyRouting.partition(key, partitions)).toList())
                    .as("%d partitions", partitions).isEqualTo(kafka);
        }
    }

    @Test
    void keysAreRoutedByTheirUtf8Bytes() {
        // murmur2 over the UTF-8 bytes, as any client hashing the serialized key computes it
        assertThat(KeyRouting.partition("Zürich", 12)).isEqualTo(
                org.apache.kafka.common.utils.Utils.toPositive(
                        org.apache.kafka.common.utils.Utils.murmur2("Zürich".getBytes(UTF_8))) % 12);
        assertThat(KeyRouting.partition("anything", 1)).isZero();
        assertThatThrownBy(() -> KeyRouting.partition("alice", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an immortal's log has at least one partition, not 0");
    }

}
