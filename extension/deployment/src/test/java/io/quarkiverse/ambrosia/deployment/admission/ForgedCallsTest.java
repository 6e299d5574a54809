package io.quarkiverse.ambrosia.deployment.admission;

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
 * Calls written into a log by someone else, whose replies cannot be sent or which the dispatcher cannot keep track of:
 * each is rejected at admission or its reply dropped, with a log line naming its offset, and none fails a commit (no
 * recovery loop), so the next call is answered as usual.
 */
public class ForgedCallsTest {

    private static final String PREFIX = "forged-test.";
    private static final String LOG = PREFIX + "Echo";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals(PREFIX, Echo.class)
            .setBeforeAllCustomizer(ForgedCallsTest::writeLog)
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue()
                    && (record.getMessage().contains("rejected the record") || record.getMessage().contains("dropped the")
                            || record.getMessage().contains("dispatcher failed")))
            .assertLogRecords(records -> assertThat(records).extracting(r -> String.format(r.getMessage(), r.getParameters()))
                    // a reply is dropped when its commit is prepared, which may come after the next records ran
                    .containsExactlyInAnyOrder(
                            "Immortal Echo: dropped the reply (call 'n1') made by the record at offset 0 of " + LOG
                                    + ": immortal Nobody does not exist: there is no topic forged-test.Nobody (deploy it"
                                    + " first, or check its name and quarkus.ambrosia.topic-prefix)",
                            "Immortal Echo: rejected the record at offset 1 of " + LOG + "-0: header 'reply-to' 'not a"
                                    + " topic!' of a call must be the log topic of its sender, 'forged-test.Nobody'; it is"
                                    + " not even a legal topic name (1 to 249 ASCII letters, digits, '.', '_' and '-')",
                            "Immortal Echo: rejected the record at offset 2 of " + LOG + "-0: a call record needs header"
                                    + " 'sequence'",
                            "Immortal Echo: rejected the record at offset 3 of " + LOG + "-0: header 'sequence' is not a"
                                    + " number: 'abc'",
                            "Immortal Echo: rejected the record at offset 4 of " + LOG + "-0: a call record needs header"
                                    + " 'sender'",
                            "Immortal Echo: rejected the record at offset 5 of " + LOG + "-0: header 'reply-to'"
                                    + " 'forged-test.Echo' of a call must be the log topic of its sender,"
                                    + " 'forged-test.Other'",
                            "Immortal Echo: rejected the record at offset 6 of " + LOG + "-0: header 'sender' '"
                                    + "s".repeat(64) + "...' (300 characters) is not an immortal's name: 'forged-test."
                                    + "s".repeat(52) + "...' (312 characters) is not a legal topic name (1 to 249 ASCII"
                                    + " letters, digits, '.', '_' and '-')",
                            "Immortal Echo: dropped the reply (call 'n7') made by the record at offset 7 of " + LOG
                                    + ": the reply n7 to Echo is not sent: it is 2000201 bytes, more than the producer's"
                                    + " max.request.size (1048576)",
                            "Immortal Echo: dropped the reply (call 'n8') made by the record at offset 8 of " + LOG
                                    + ": the reply n8 to Echo is not sent: it is 1800319 bytes, more than the producer's"
                                    + " max.request.size (1048576)"));

    @Inject
    Echo echo;

    @Test
    void forgedCallsAreRejectedOrTheirRepliesDroppedAndTheNextCallIsAnswered() {
        // only the call whose reply had nowhere to go ran (1), then this one
        assertThat(echo.add(5)).isEqualTo(6);
        assertThat(echo.value()).isEqualTo(6);
    }

    static void writeLog() {
        try (TopicWriter log = TopicWriter.create(EmbeddedKafkaBroker.sharedBootstrapServers(), LOG)) {
            // offset 0: a reply to an immortal whose log does not exist
            log.send(call("Echo#add(long)", "n1", "Nobody", "0", PREFIX + "Nobody"), null, "[1]");
            // offset 1: a reply-to that is no topic name at all
            log.send(call("Echo#add(long)", "n2", "Nobody", "1", "not a topic!"), null, "[100]");
            // offset 2: no sequence: a duplicate could not be told
            log.send(call("Echo#add(long)", "n3", "Nobody", null, PREFIX + "Nobody"), null, "[100]");
            // offset 3: a sequence that is no number
            log.send(call("Echo#add(long)", "n4", "Nobody", "abc", PREFIX + "Nobody"), null, "[100]");
            // offset 4: no sender
            log.send(call("Echo#add(long)", "n5", null, "4", PREFIX + "Nobody"), null, "[100]");
            // offset 5: a reply sent to another immortal's log than the sender's
            log.send(call("Echo#add(long)", "n6", "Other", "5", LOG), null, "[100]");
            // offset 6: a sender that names no log
            log.send(call("Echo#add(long)", "n6b", "s".repeat(300), "6", null), null, "[100]");
            // offset 7: a reply larger than the producer may send
            log.send(call("Echo#echo(int)", "n7", "Echo", "7", LOG), null, "[2000000]");
            // offset 8: a target so large that the failure naming it cannot be sent
            log.send(call("Echo#" + "\u0001".repeat(300_000), "n8", "Echo", "8", LOG), null, "[1]");
        }
    }

    private static Map<String, String> call(String target, String callId, String sender, String sequence,
            String replyTo) {
        Map<String, String> headers = TopicWriter.impulse(target, callId, System.currentTimeMillis());
        headers.put("ambrosia-version", "2");
        headers.put("kind", "call");
        headers.put("sender", sender);
        headers.put("sequence", sequence);
        headers.put("reply-to", replyTo);
        return headers;
    }
}
