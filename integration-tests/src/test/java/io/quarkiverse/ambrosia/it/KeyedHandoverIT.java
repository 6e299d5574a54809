package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A handover with no crash, under a load of keyed deposits and transfers: a third instance joins two, then one of the
 * first two leaves with SIGTERM. The partitions move while the clients go on (cooperative rebalancing: the others keep
 * running), no request gets an answer that a retry with its idempotency key would not mend, and every answered one
 * is applied exactly once.
 */
class KeyedHandoverIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Map<String, String> CONFIG = Map.of("quarkus.ambrosia.checkpoint.interval-records", "50");

    @Test
    void anInstanceJoinsAndAnotherLeavesUnderLoad() throws Exception {
        String prefix = TestApp.newPrefix("handover");
        KeyedLoad load = new KeyedLoad(40, 1_000_000);
        try (TestApp first = TestApp.start(prefix, CONFIG); TestApp second = TestApp.start(prefix, CONFIG)) {
            KeyedApps.awaitPartitionsSplit(List.of(first, second), WAIT);
            load.open(first);
            load.up.addAll(List.of(first, second));
            load.start(4);
            load.awaitAnswers(100, WAIT);

            try (TestApp third = TestApp.start(prefix, CONFIG)) {
                load.up.add(third);
                KeyedApps.awaitPartitionsSplit(List.of(first, second, third), WAIT);
                load.awaitAnswers(100, WAIT);

                load.up.remove(first);
                first.process.stop();
                assertThat(first.process.output()).contains("revoked: their tasks stop");
                KeyedApps.awaitPartitionsSplit(List.of(second, third), WAIT);
                load.awaitAnswers(100, WAIT);
                load.stop(WAIT);
                System.out.printf("KeyedHandoverIT: %d operations answered, %d retries %s%n", load.answered(),
                        load.retried(), load.retryCauses());
                load.assertAccounts(second);
                load.assertAccounts(third);
            }
        }
    }
}
