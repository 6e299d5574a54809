package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * A keyed immortal on two application instances: the group spreads its partitions over both, either instance
 * accepts any key's calls and reads and answers them (through Kafka when the other runs the key), transfers between keys run
 * exactly once whichever instances own them, the outcome of a call answered {@code 202} is fetched from its
 * {@code Location} on either instance, and after one instance is killed the other takes its partitions over with
 * every acknowledged deposit applied once.
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
            List<Accepted> accepted = acceptedCalls(apps);
            assertOutcomes(apps, accepted);
            assertUnknownOutcomes(apps);

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
            // kept in the partitions' state across the kill and both handovers
            assertOutcomes(apps, accepted);
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
     * A call answered {@code 202}, and what fetching its {@code Location} must give.
     *
     * @param location the path and query of its {@code Location}
     * @param partition the partition of its key
     */
    private record Accepted(String location, int partition, int status, String body) {
    }

    /**
     * Deposits and withdrawals with {@code Prefer: respond-async}, on both instances: each answered {@code 202} with the
     * {@code Location} of its outcome. A withdrawal of more than the balance fails (400, by the application's mapper).
     */
    private List<Accepted> acceptedCalls(List<TestApp> apps) {
        List<Accepted> accepted = new ArrayList<>();
        for (int k = 0; k < KEYS; k += 2) {
            String key = "k-" + k;
            int partition = KeyedApps.partitionOf(key);
            TestApp app = apps.get(k / 2 % apps.size());
            boolean overdraw = k % 4 == 0;
            long amount = overdraw ? balances.get(key) + 1 : 1 + random.nextInt(20);
            var response = app.post("/keyed/" + key + (overdraw ? "/withdraw/" : "/deposit/") + amount,
                    Map.of("Prefer", "respond-async", "Idempotency-Key", "async-" + key));
            assertThat(response.statusCode()).as("%s: %s", key, response.body()).isEqualTo(202);
            URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
            assertThat(location.getRawQuery()).as(key).isEqualTo(partition == 0 ? null : "partition=" + partition);
            String fetch = location.getRawPath() + (partition == 0 ? "" : "?" + location.getRawQuery());
            if (overdraw) {
                accepted.add(new Accepted(fetch, partition, 400,
                        "account " + key + " holds " + balances.get(key) + ", less than " + amount));
            } else {
                long expected = balances.merge(key, amount, Long::sum);
                operations.merge(key, 1L, Long::sum);
                accepted.add(new Accepted(fetch, partition, 200, Long.toString(expected)));
            }
        }
        return accepted;
    }

    /**
     * Each location fetched on both instances: one runs the key's partition and answers from its own table, the other
     * asks that one through the log. Both give the call's outcome (waiting for it if it has not run yet).
     */
    private static void assertOutcomes(List<TestApp> apps, List<Accepted> accepted) {
        int remote = 0;
        for (Accepted call : accepted) {
            for (TestApp app : apps) {
                if (!owned(app).contains(call.partition())) {
                    remote++;
                }
                var response = app.get(call.location(), Map.of("Prefer", "wait=20"));
                assertThat(response.statusCode()).as("GET %s on %s: %s", call.location(), app, response.body())
                        .isEqualTo(call.status());
                assertThat(response.body()).as("GET %s on %s", call.location(), app).isEqualTo(call.body());
            }
        }
        assertThat(remote).as("fetches on an instance that does not run the key's partition").isPositive();
    }

    /** A key never recorded is unknown on every partition, on both instances: 404 {@code unknown-impulse}. */
    private static void assertUnknownOutcomes(List<TestApp> apps) {
        for (int partition = 0; partition < KeyedApps.PARTITIONS; partition++) {
            for (TestApp app : apps) {
                var response = app.get("/ambrosia/impulses/Accounts/never-recorded?partition=" + partition);
                assertThat(response.statusCode()).as("partition %d on %s: %s", partition, app, response.body())
                        .isEqualTo(404);
                assertThat(response.body()).contains("unknown-impulse");
            }
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
