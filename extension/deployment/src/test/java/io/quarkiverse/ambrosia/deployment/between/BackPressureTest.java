package io.quarkiverse.ambrosia.deployment.between;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * With {@code calls.max-outstanding} calls waiting for replies, the next impulse waits in the log until one is
 * answered, here by its timeout.
 */
public class BackPressureTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = BetweenApps.app("backpressure-test.")
            .overrideConfigKey("quarkus.ambrosia.calls.max-outstanding", "2");

    @Inject
    Transfers transfers;

    @Test
    void theImpulseAfterTwoOutstandingCallsRunsOnceOneIsAnswered() throws Exception {
        BetweenApps.createTopic("backpressure-test.Ghost");
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> transfers.pingGhost().await().indefinitely());
        CompletableFuture<String> second = CompletableFuture
                .supplyAsync(() -> transfers.pingGhost().await().indefinitely());
        BetweenApps.awaitRecords("backpressure-test.Ghost", null, 2);

        // recorded after both calls went out: it waits for the first timeout, and runs before the second is applied
        assertThat(transfers.timeoutsSoFar()).isEqualTo(1);
        assertThat(first.get(30, TimeUnit.SECONDS)).startsWith("ImmortalCallTimeoutException");
        assertThat(second.get(30, TimeUnit.SECONDS)).startsWith("ImmortalCallTimeoutException");
        assertThat(transfers.timeoutsSoFar()).isEqualTo(2);
    }
}
