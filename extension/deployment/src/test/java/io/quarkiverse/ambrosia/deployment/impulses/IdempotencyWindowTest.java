package io.quarkiverse.ambrosia.deployment.impulses;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicWriter;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The dispatcher itself drops a keyed call already run (two attempts recorded before either was answered), and a key
 * is forgotten once the retention window has passed in logged time, identically on every replay.
 */
public class IdempotencyWindowTest {

    private static final String TOPIC = "window-test.Bank";
    private static final long T = 1764115200000L;
    private static final long HOUR = 3_600_000L;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("window-test.", Bank.class)
            // the records are written at once, stamped over 25 hours of logged time: within the skew allowed here
            .overrideConfigKey("quarkus.ambrosia.log.max-clock-skew", "36500d")
            .setBeforeAllCustomizer(IdempotencyWindowTest::writeLog);

    @Inject
    Bank bank;

    @Test
    void duplicatesWithinTheWindowRunOnceAndExpiredKeysRunAgain() {
        // 5 (k1), its duplicate dropped, 7 (k2, 25 h later: k1 expires), 5 (k1 again, a new request)
        assertThat(bank.balance("zoe")).isEqualTo(17);
    }

    static void writeLog() {
        try (TopicWriter log = TopicWriter.create(EmbeddedKafkaBroker.sharedBootstrapServers(), TOPIC)) {
            send(log, "c1", T, "k1", "[\"zoe\",5]");
            send(log, "c2", T + 1000, "k1", "[\"zoe\",5]");
            send(log, "c3", T + 25 * HOUR, "k2", "[\"zoe\",7]");
            send(log, "c4", T + 25 * HOUR + 1, "k1", "[\"zoe\",5]");
        }
    }

    private static void send(TopicWriter log, String callId, long loggedAt, String key, String value) {
        Map<String, String> headers = TopicWriter.impulse("Bank#deposit", callId, loggedAt);
        headers.put("idempotency-key", key);
        log.send(headers, null, value);
    }
}
