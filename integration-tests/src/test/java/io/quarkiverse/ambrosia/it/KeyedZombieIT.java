package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A zombie: an instance of a keyed immortal paused with SIGSTOP past the group's session timeout, while the other
 * instance takes its partitions over and applies deposits to their keys, then resumed. Right after it resumes, it
 * must not answer a read of those keys from the state it had when paused (its lease on the partitions ran out: it
 * stops their tasks and forwards reads to the owner), and nothing it ran before the pause is applied twice: once it
 * has rejoined the group every balance is exactly the sum of the answered deposits.
 */
class KeyedZombieIT {

    private static final int KEYS = 24;
    private static final Map<String, String> CONFIG = Map.of("quarkus.ambrosia.checkpoint.interval-records", "20");

    private final Map<String, Long> balances = new HashMap<>();
    private final Map<String, Long> operations = new HashMap<>();

    @Test
    void aResumedZombieAnswersNothingStale() throws Exception {
        String prefix = TestApp.newPrefix("zombie");
        try (TestApp zombie = TestApp.start(prefix, CONFIG); TestApp other = TestApp.start(prefix, CONFIG)) {
            List<TestApp> apps = List.of(zombie, other);
            KeyedApps.awaitPartitionsSplit(apps, Duration.ofSeconds(60));
            for (int k = 0; k < KEYS; k++) {
                deposit(apps.get(k % 2), "z-" + k, 100 + k);
            }
            TreeSet<Integer> moved = KeyedApps.owned(zombie);
            List<String> keysMoved = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                if (moved.contains(KeyedApps.partitionOf("z-" + k))) {
                    keysMoved.add("z-" + k);
                }
            }
            assertThat(keysMoved).as("keys of the partitions the zombie runs").isNotEmpty();
            // the zombie has them all, as they are now
            for (String key : keysMoved) {
                assertThat(zombie.get("/keyed/" + key).body()).isEqualTo(expected(key));
            }

            zombie.process.pause();
            Readers readers;
            try {
                // the other instance alone runs every partition
                KeyedApps.awaitPartitionsSplit(List.of(other), Duration.ofSeconds(60));
                // changed by the new owner while the zombie sleeps
                for (String key : keysMoved) {
                    deposit(other, key, 7);
                }
                // reads sent while it sleeps wait in its sockets, and are the first thing it answers when it resumes
                readers = new Readers(zombie, keysMoved);
                readers.awaitSent();
            } finally {
                zombie.process.resume();
            }

            List<String> stale = readers.await();
            assertThat(stale).as("answers of the resumed zombie from the state it had when paused").isEmpty();
            assertThat(zombie.process.awaitLogLine("was away from the group for", TestApp.READY))
                    .contains("it stops the tasks of its partitions");

            // it rejoins and takes partitions again: every deposit applied once, wherever it ran
            KeyedApps.awaitPartitionsSplit(apps, Duration.ofSeconds(60));
            for (int k = 0; k < KEYS; k++) {
                deposit(apps.get((k + 1) % 2), "z-" + k, 1);
            }
            for (int k = 0; k < KEYS; k++) {
                for (TestApp app : apps) {
                    assertThat(app.get("/keyed/z-" + k).body()).as("z-%d", k).isEqualTo(expected("z-" + k));
                }
            }
        }
    }

    /**
     * Eight threads read the moved keys from the zombie as fast as it answers, from before it resumes until two seconds
     * after: a {@code 200} must show the deposits the new owner applied; a {@code 503} (not live yet) is no answer,
     * not a stale one.
     */
    private final class Readers {
        private final ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
        private final AtomicInteger fresh = new AtomicInteger();
        private final CountDownLatch sent = new CountDownLatch(8);
        private final List<Thread> threads = new ArrayList<>();
        private volatile long end = Long.MAX_VALUE;

        Readers(TestApp zombie, List<String> keys) {
            for (int r = 0; r < 8; r++) {
                int first = r;
                Thread reader = new Thread(() -> {
                    for (int i = first; System.nanoTime() < end; i++) {
                        String key = keys.get(i % keys.size());
                        if (i == first) {
                            sent.countDown();
                        }
                        var response = zombie.get("/keyed/" + key);
                        if (response.statusCode() == 200) {
                            if (response.body().equals(expected(key))) {
                                fresh.incrementAndGet();
                            } else {
                                stale.add(key + ": " + response.body() + " (expected " + expected(key) + ")");
                            }
                        } else if (response.statusCode() != 503) {
                            stale.add(key + ": status " + response.statusCode() + " " + response.body());
                        }
                    }
                });
                reader.start();
                threads.add(reader);
            }
        }

        void awaitSent() throws InterruptedException {
            sent.await();
            // the requests leave the threads' sockets: no event of the paused process can say so
            Thread.sleep(300);
        }

        List<String> await() throws InterruptedException {
            end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            for (Thread reader : threads) {
                reader.join();
            }
            assertThat(fresh.get()).as("reads answered by the zombie after it resumed").isPositive();
            return new ArrayList<>(stale);
        }
    }

    private void deposit(TestApp app, String key, long amount) {
        long balance;
        synchronized (this) {
            balance = balances.merge(key, amount, Long::sum);
            operations.merge(key, 1L, Long::sum);
        }
        var response = app.post("/keyed/" + key + "/deposit/" + amount);
        assertThat(response.statusCode()).as("%s: %s", key, response.body()).isEqualTo(200);
        assertThat(response.body()).as(key).isEqualTo(Long.toString(balance));
    }

    private synchronized String expected(String key) {
        return balances.get(key) + "/" + operations.get(key);
    }
}
