package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.utils.Utils;

/**
 * What the tests of the keyed {@link Accounts} on several instances ask of them: which partitions an instance runs (its
 * readiness check says), when the partitions are split over a set of instances, and where a key goes.
 */
final class KeyedApps {

    static final int PARTITIONS = 6;
    private static final Pattern RUNS = Pattern.compile("runs partitions ([0-9, ]+) of " + PARTITIONS + " here");

    private KeyedApps() {
    }

    /**
     * @return the partitions the instance runs and has live, or none while it is not live (or down)
     */
    static TreeSet<Integer> owned(TestApp app) {
        TreeSet<Integer> owned = new TreeSet<>();
        String health;
        try {
            health = app.get("/q/health/ready").body();
        } catch (IllegalStateException e) {
            return owned;
        }
        Matcher m = RUNS.matcher(health);
        if (health.contains("live; ") && m.find()) {
            for (String p : m.group(1).split(", ")) {
                owned.add(Integer.parseInt(p.trim()));
            }
        }
        return owned;
    }

    /**
     * Waits (polling the readiness checks) until the instances run every partition between them, each some and none
     * twice.
     */
    static void awaitPartitionsSplit(List<TestApp> apps, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TreeSet<Integer> all = new TreeSet<>();
            boolean eachRunsSome = true;
            int sum = 0;
            for (TestApp app : apps) {
                TreeSet<Integer> owned = owned(app);
                eachRunsSome &= !owned.isEmpty();
                sum += owned.size();
                all.addAll(owned);
            }
            if (eachRunsSome && all.size() == PARTITIONS && sum == PARTITIONS) {
                return;
            }
            assertThat(System.nanoTime()).as("the partitions are split over %d instances", apps.size())
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /**
     * @return the partition of the key: Kafka's default partitioning of its UTF-8 bytes
     */
    static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }
}
