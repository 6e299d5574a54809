package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

import io.quarkiverse.ambrosia.testing.KeyedInstances;

/**
 * What the tests of the keyed {@link Accounts} on several instances ask of them: which partitions an instance runs (its
 * readiness check says), when the partitions are split over a set of instances, and where a key goes.
 */
final class KeyedApps {

    static final int PARTITIONS = 6;

    private KeyedApps() {
    }

    /**
     * @return the partitions the instance runs and has live, or none while it is not live (or down)
     */
    static TreeSet<Integer> owned(TestApp app) {
        try {
            return KeyedInstances.owned(app.get("/q/health/ready").body(), PARTITIONS);
        } catch (IllegalStateException e) {
            return new TreeSet<>();
        }
    }

    /**
     * Waits (polling the readiness checks) until the instances run every partition between them, each some and none
     * twice.
     */
    static void awaitPartitionsSplit(List<TestApp> apps, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!KeyedInstances.split(apps.stream().map(KeyedApps::owned).toList(), PARTITIONS)) {
            assertThat(System.nanoTime()).as("the partitions are split over %d instances", apps.size())
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /**
     * @return the partition of the key: Kafka's default partitioning of its UTF-8 bytes
     */
    static int partitionOf(String key) {
        return KeyedInstances.partitionOf(key, PARTITIONS);
    }
}
