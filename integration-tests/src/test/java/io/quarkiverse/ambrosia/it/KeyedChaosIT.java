package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * A keyed immortal on three application instances under a load of keyed deposits and transfers, while instances are
 * killed with SIGKILL and started again (the same instance, a static member of the group, or a new one, which makes
 * the group rebalance), and scaled from one instance to three and back to one. At the end every answered operation was
 * applied exactly once: each account holds what the journal of answers says, has run exactly as many operations, and
 * the money is all there; and it still does after the last instance recovers its partitions from their checkpoints
 * and logs.
 */
class KeyedChaosIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Map<String, String> CONFIG = Map.of("quarkus.ambrosia.checkpoint.interval-records", "50");

    private final List<TestApp> started = new ArrayList<>();

    @Test
    void everyAnsweredOperationIsAppliedOnceAcrossKillsAndRebalances() throws Exception {
        String prefix = TestApp.newPrefix("chaos");
        KeyedLoad load = new KeyedLoad(40, 1_000_000);
        Random random = new Random(load.seed());
        System.out.println("KeyedChaosIT seed: " + load.seed() + " (rerun with -Dcrash.seed=" + load.seed() + ")");
        int kills = 0;
        try {
            TestApp[] slots = new TestApp[3];
            slots[0] = start(prefix);
            load.open(slots[0]);
            load.up.add(slots[0]);
            load.start(6);
            load.awaitAnswers(50, WAIT);

            // one instance to three
            for (int s = 1; s < 3; s++) {
                slots[s] = start(prefix);
                load.up.add(slots[s]);
            }
            KeyedApps.awaitPartitionsSplit(Arrays.asList(slots), WAIT);
            load.awaitAnswers(50, WAIT);

            for (int k = 0; k < 8; k++) {
                int s = random.nextInt(slots.length);
                TestApp victim = slots[s];
                load.up.remove(victim);
                victim.process.kill9();
                kills++;
                boolean sameInstance = k % 2 == 0;
                System.out.printf("KeyedChaosIT kill %d: %s, %s%n", kills, victim.base,
                        sameInstance ? "restarted as the same instance" : "replaced by a new instance");
                // the others go on answering; calls for the partitions it ran wait for the group or its restart
                load.awaitAnswers(20, WAIT);
                if (sameInstance) {
                    victim.restart();
                } else {
                    slots[s] = start(prefix);
                }
                load.up.add(slots[s]);
                load.awaitAnswers(20, WAIT);
            }
            KeyedApps.awaitPartitionsSplit(Arrays.asList(slots), WAIT);

            // three instances to one
            for (int s = 1; s < 3; s++) {
                load.up.remove(slots[s]);
                slots[s].process.kill9();
                kills++;
            }
            KeyedApps.awaitPartitionsSplit(List.of(slots[0]), WAIT);
            load.awaitAnswers(50, WAIT);
            load.stop(WAIT);
            System.out.printf("KeyedChaosIT: %d kills, %d operations answered, %d retries %s%n", kills, load.answered(),
                    load.retried(), load.retryCauses());
            load.assertAccounts(slots[0]);

            // the last instance's states again after it recovers every partition: checkpoints plus replay agree
            slots[0].process.kill9();
            kills++;
            slots[0].restart();
            KeyedApps.awaitPartitionsSplit(List.of(slots[0]), WAIT);
            load.assertAccounts(slots[0]);

            assertThat(kills).isGreaterThanOrEqualTo(10);
            assertThat(assignments()).as("partitions assigned to an instance by a rebalance").isGreaterThanOrEqualTo(5);
            assertThat(load.retried()).as("operations retried after a kill").isPositive();
        } finally {
            started.forEach(TestApp::close);
        }
    }

    private TestApp start(String prefix) throws IOException {
        TestApp app = TestApp.start(prefix, CONFIG);
        started.add(app);
        return app;
    }

    /** How often an instance logged partitions assigned to it, over every run of every instance. */
    private long assignments() throws IOException {
        long count = 0;
        for (TestApp app : started) {
            count += Files.readAllLines(app.process.outputFile()).stream()
                    .filter(line -> line.contains("assigned to this instance")).count();
        }
        return count;
    }
}
