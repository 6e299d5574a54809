package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * A keyed immortal on two application instances: the group spreads its partitions over both, either instance
 * accepts any key's calls and reads and answers them (through Kafka when the other runs the key), transfers between keys run
 * exactly once whichever instances own them, and after one instance is killed the other takes its partitions over
 * with every acknowledged deposit applied once.
 */
class KeyedInstancesIT {

    private static final int KEYS = 30;
    private static final Map<String, String> CONFIG = Map.of("quarkus.ambrosia.checkpoint.interval-records", "20");

    private final Map<String, Long> balances = new HashMap<>();
    private final Map<String, Long> operations = new HashMap<>();
    private final SplittableRandom random = new SplittableRandom(11);

    @Test
    void twoInstancesShareTheKeysAndOneTakesOverWhenTheOtherDies() throws Exception {
        String prefix = TestApp.newPrefix("instances");
        try (TestApp first = TestApp.start(prefix, CONFIG); TestApp second = TestApp.start(prefix, CONFIG)) {
            List<TestApp> apps = List.of(first, second);
            awaitPartitionsSplit(apps);

            for (int round = 0; round < 2; round++) {
                depositEverywhere(apps);
                transfers(apps, 15);
            }
            assertBalances(apps);

            first.process.kill9();
            // recorded by the survivor for every key, also those whose partitions the dead one ran: answered once the
            // group gives those partitions to the survivor
            depositEverywhere(List.of(second));
            transfers(List.of(second), 10);
            assertThat(owned(second)).hasSize(6);
            assertBalances(List.of(second));

            first.restart();
            awaitPartitionsSplit(apps);
            depositEverywhere(apps);
            assertBalances(apps);
        }
    }

    private void depositEverywhere(List<TestApp> apps) {
        for (int k = 0; k < KEYS; k++) {
            String key = "k-" + k;
            long amount = 1 + random.nextInt(50);
            TestApp app = apps.get(k % apps.size());
            long expected = balances.merge(key, amount, Long::sum);
            operations.merge(key, 1L, Long::sum);
            var response = app.post("/keyed/" + key + "/deposit/" + amount);
            assertThat(response.statusCode()).as("%s: %s", key, response.body()).isEqualTo(200);
            assertThat(response.body()).as(key).isEqualTo(Long.toString(expected));
        }
    }

    private void transfers(List<TestApp> apps, int count) {
        for (int t = 0; t < count; t++) {
            String from = "k-" + random.nextInt(KEYS);
            String to = "k-" + random.nextInt(KEYS);
            if (from.equals(to)) {
                continue;
            }
            long amount = 1 + random.nextInt(10);
            long left = balances.get(from) - amount;
            var response = apps.get(t % apps.size()).post("/keyed/" + from + "/transfer/" + to + "/" + amount);
            if (left < 0) {
                // refused: the account keeps its balance
                assertThat(response.body()).as("transfer %s -> %s", from, to).isEqualTo(Long.toString(balances.get(from)));
                continue;
            }
            assertThat(response.body()).as("transfer %s -> %s", from, to).isEqualTo(Long.toString(left));
            balances.put(from, left);
            balances.merge(to, amount, Long::sum);
            operations.merge(from, 1L, Long::sum);
            operations.merge(to, 1L, Long::sum);
        }
    }

    /**
     * A read through either instance: served by the instance that runs the key, locally, or recorded by the other and
     * answered by the owner.
     */
    private void assertBalances(List<TestApp> apps) {
        long total = 0;
        for (int k = 0; k < KEYS; k++) {
            String key = "k-" + k;
            long expected = balances.get(key);
            for (TestApp app : apps) {
                var response = app.get("/keyed/" + key);
                assertThat(response.statusCode()).as("%s: %s", key, response.body()).isEqualTo(200);
                assertThat(response.body()).as(key).isEqualTo(expected + "/" + operations.get(key));
            }
            total += expected;
        }
        assertThat(total).as("money is conserved").isEqualTo(balances.values().stream().mapToLong(Long::longValue).sum());
    }

    private static void awaitPartitionsSplit(List<TestApp> apps) throws InterruptedException {
        KeyedApps.awaitPartitionsSplit(apps, Duration.ofSeconds(60));
    }

    private static TreeSet<Integer> owned(TestApp app) {
        return KeyedApps.owned(app);
    }
}
