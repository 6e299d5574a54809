package io.quarkiverse.ambrosia.deployment.between;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * When the outstanding calls are not answered within {@code checkpoint.drain-timeout}, a resume record ends the wait:
 * the impulses run again before the replies come, and the checkpoint is tried later.
 */
public class DrainTimeoutTest {

    private static final String PREFIX = "drain-timeout-test.";

    @RegisterExtension
    static final QuarkusUnitTest TEST = BetweenApps.app(PREFIX)
            .overrideConfigKey("quarkus.ambrosia.checkpoint.interval-records", "3")
            .overrideConfigKey("quarkus.ambrosia.checkpoint.drain-timeout", "500ms")
            .overrideConfigKey("quarkus.ambrosia.calls.timeout", "20s");

    @Inject
    Transfers transfers;

    @Test
    void aDrainThatTakesTooLongIsGivenUp() throws Exception {
        CompletableFuture<String> ping = BetweenApps.pingWhileACheckpointFallsDue(transfers, PREFIX).ping();

        // runs after the resume record, long before the ping's timeout
        assertThat(transfers.timeoutsSoFar()).isZero();
        assertThat(BetweenApps.awaitRecords(PREFIX + "Transfers", "resume", 1)).hasSize(1);
        assertThat(ping).isNotDone();
        assertThat(ping.get(40, TimeUnit.SECONDS)).startsWith("ImmortalCallTimeoutException");
    }
}
