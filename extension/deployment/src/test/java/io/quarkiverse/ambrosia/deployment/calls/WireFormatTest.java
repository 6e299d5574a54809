package io.quarkiverse.ambrosia.deployment.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicWriter;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Records written by another program, as docs/wire-format.md specifies them, before the application starts: the
 * test vector runs, and records that cannot run are rejected with a log line naming their offset, without stalling
 * the log.
 */
public class WireFormatTest {

    private static final String TOPIC = "wire-test.Counter";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("wire-test.", Counter.class)
            // the test vector's logged-at is a fixed day, long before the broker appends it
            .overrideConfigKey("quarkus.ambrosia.log.max-clock-skew", "36500d")
            .setBeforeAllCustomizer(WireFormatTest::writeLog)
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue()
                    && record.getMessage().contains("rejected the record"))
            .assertLogRecords(records -> assertThat(records).extracting(r -> String.format(r.getMessage(), r.getParameters()))
                    .containsExactly(
                            "Immortal Counter: rejected the record at offset 1 of wire-test.Counter-0: missing header 'call-id'",
                            "Immortal Counter: rejected the record at offset 2 of wire-test.Counter-0: no method of immortal"
                                    + " Counter matches target 'Counter#nope'",
                            "Immortal Counter: rejected the record at offset 3 of wire-test.Counter-0: Counter.add takes 1"
                                    + " arguments, the record has more",
                            "Immortal Counter: rejected the record at offset 4 of wire-test.Counter-0: unsupported"
                                    + " ambrosia-version '4' (this version reads '1', '2' and '3')",
                            "Immortal Counter: rejected the record at offset 5 of wire-test.Counter-0: a call record needs"
                                    + " header 'sender'",
                            "Immortal Counter: rejected the record at offset 6 of wire-test.Counter-0: header 'logged-at'"
                                    + " is not a number: '-1764115200950'"));

    @Inject
    Counter counter;

    @Test
    void theTestVectorRunsAndBadRecordsAreRejectedInPlace() {
        assertThat(counter.value()).isEqualTo(12);
        assertThat(counter.offsets()).containsExactly(0L, 7L);
        assertThat(counter.times()).containsExactly(1764115200000L, 1764115201000L);
    }

    static void writeLog() {
        try (TopicWriter log = TopicWriter.create(EmbeddedKafkaBroker.sharedBootstrapServers(), TOPIC)) {
            // offset 0: the test vector of docs/wire-format.md
            log.send(TopicWriter.impulse("Counter#add", "5f0c6d2e-8a43-4d3b-9c1e-2b7f1a9e4c10", 1764115200000L), null, "[5]");
            // offset 1: no call id
            log.send(TopicWriter.impulse("Counter#add", null, 1764115200500L), null, "[100]");
            // offset 2: no such method
            log.send(TopicWriter.impulse("Counter#nope", "c2", 1764115200600L), null, "[100]");
            // offset 3: too many arguments
            log.send(TopicWriter.impulse("Counter#add", "c3", 1764115200700L), null, "[100,1]");
            // offset 4: a future version
            Map<String, String> future = TopicWriter.impulse("Counter#add", "c4", 1764115200800L);
            future.put("ambrosia-version", "4");
            log.send(future, null, "[100]");
            // offset 5: a call from an immortal that does not say which
            Map<String, String> call = TopicWriter.impulse("Counter#add(long)", "c5", 1764115200900L);
            call.put("ambrosia-version", "2");
            call.put("kind", "call");
            log.send(call, null, "[100]");
            // offset 6: logged-at must be decimal digits, without a sign
            Map<String, String> signed = TopicWriter.impulse("Counter#add", "c6", 1764115200950L);
            signed.put("logged-at", "-1764115200950");
            log.send(signed, null, "[100]");
            // offset 7: the next good record runs
            log.send(TopicWriter.impulse("Counter#add", "c5", 1764115201000L), null, "[7]");
        }
    }
}
