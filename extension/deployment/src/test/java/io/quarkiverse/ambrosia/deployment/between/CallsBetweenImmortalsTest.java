package io.quarkiverse.ambrosia.deployment.between;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Calls from one immortal to another in the same application: request and reply through the caller's log, forks,
 * cycles, and calls that fail (no such immortal, no such method, arguments that do not decode, no reply in time).
 */
public class CallsBetweenImmortalsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final QuarkusUnitTest TEST = BetweenApps.app("between-test.");

    @Inject
    Transfers transfers;

    @Inject
    Ledger ledger;

    @Test
    void forksThenATransferOfTwoCallsEachAnsweredThroughTheCallersLog() {
        assertThat(transfers.credit("alice", 100)).isEqualTo(100);
        // the forks were sent before the transfer's calls, by the same sender, so they ran first
        assertThat(transfers.transfer("alice", "bob", 30).await().atMost(WAIT)).isEqualTo("alice=70 bob=30");
        assertThat(ledger.balance("alice")).isEqualTo(70);
        assertThat(ledger.balance("bob")).isEqualTo(30);
        assertThat(transfers.transfer("carol", "bob", 5).await().atMost(WAIT))
                .isEqualTo("refused: insufficient funds in carol: 0 < 5");
        assertThat(ledger.balance("bob")).isEqualTo(30);

        List<ConsumerRecord<byte[], byte[]>> ledgerLog = TopicReader.readAll(BetweenApps.bootstrap(), "between-test.Ledger");
        List<ConsumerRecord<byte[], byte[]>> forks = ledgerLog.stream()
                .filter(r -> "Ledger#credit(java.lang.String,long)".equals(TopicReader.header(r, "target"))).toList();
        assertThat(forks).hasSize(100);
        for (ConsumerRecord<byte[], byte[]> fork : forks) {
            assertThat(TopicReader.header(fork, "kind")).isEqualTo("call");
            assertThat(TopicReader.header(fork, "sender")).isEqualTo("Transfers");
            assertThat(TopicReader.header(fork, "reply-to")).isNull();
            assertThat(TopicReader.value(fork)).isEqualTo("[\"alice\",1]");
        }
        List<Long> sequences = ledgerLog.stream().filter(r -> "call".equals(TopicReader.header(r, "kind")))
                .map(r -> Long.parseLong(TopicReader.header(r, "sequence"))).toList();
        assertThat(sequences).isSorted().doesNotHaveDuplicates();
        ConsumerRecord<byte[], byte[]> withdraw = ledgerLog.stream()
                .filter(r -> "Ledger#withdraw(java.lang.String,long)".equals(TopicReader.header(r, "target")))
                .findFirst().orElseThrow();
        assertThat(TopicReader.header(withdraw, "reply-to")).isEqualTo("between-test.Transfers");

        List<ConsumerRecord<byte[], byte[]>> replies = TopicReader.readAll(BetweenApps.bootstrap(), "between-test.Transfers")
                .stream()
                .filter(r -> "reply".equals(TopicReader.header(r, "kind"))).toList();
        assertThat(replies).extracting(r -> TopicReader.header(r, "sender")).contains("Ledger");
        ConsumerRecord<byte[], byte[]> reply = replies.stream()
                .filter(r -> TopicReader.header(withdraw, "call-id").equals(TopicReader.header(r, "call-id")))
                .findFirst().orElseThrow();
        assertThat(TopicReader.header(reply, "outcome")).isEqualTo("ok");
        assertThat(TopicReader.value(reply)).isEqualTo("70");
        ConsumerRecord<byte[], byte[]> refused = replies.stream()
                .filter(r -> "failed".equals(TopicReader.header(r, "outcome"))).findFirst().orElseThrow();
        assertThat(TopicReader.value(refused)).contains("\"type\":\"java.lang.IllegalStateException\"")
                .contains("insufficient funds in carol");
    }

    @Test
    void aCycleBackIntoTheCallerIsProcessedWhileItsCallWaits() {
        // Transfers waits for Ledger.audit, which waits for Transfers.note: the caller keeps processing calls
        assertThat(transfers.audit("dave").await().atMost(WAIT)).matches("dave audited, \\d+ notes");
        assertThat(transfers.notes()).contains("audited dave");
    }

    @Test
    void aContinuationRunsAsTheReplysRecord() {
        String ids = transfers.callIdAfterReply("erin").await().atMost(WAIT);
        String[] parts = ids.split(" then ");
        assertThat(parts[1]).startsWith("Transfers:").isNotEqualTo(parts[0]);
    }

    @Test
    void aCallToAnImmortalThatDoesNotExistFailsWithoutBlockingTheDispatcher() {
        assertThat(transfers.pingNobody().await().atMost(WAIT)).isEqualTo("UnknownImmortalException: immortal Nobody"
                + " does not exist: there is no topic between-test.Nobody (deploy it first, or check its name and"
                + " quarkus.ambrosia.topic-prefix)");
        assertThat(transfers.fireAtNobody()).isEqualTo(1);
        // the dispatcher goes on
        assertThat(transfers.depositThroughInterface("frank", 3).await().atMost(WAIT)).isEqualTo(3);
        // the failure is a record of the caller's own log: a replay fails the call the same way
        assertThat(TopicReader.readAll(BetweenApps.bootstrap(), "between-test.Transfers")).anySatisfy(record -> {
            assertThat(TopicReader.header(record, "kind")).isEqualTo("reply");
            assertThat(TopicReader.header(record, "sender")).isEqualTo("Transfers");
            assertThat(TopicReader.value(record)).contains("UnknownImmortalException");
        });
    }

    @Test
    void aMethodTheTargetDoesNotHaveOrArgumentsItCannotDecodeFailTheCall() {
        assertThat(transfers.closeThroughInterface("gina").await().atMost(WAIT)).isEqualTo(
                "UnknownImmortalException: immortal Ledger has no method matching 'Ledger#close(java.lang.String)'");
        assertThat(transfers.depositAllThroughInterface("gina", List.of("x", "y")).await().atMost(WAIT))
                .startsWith("IllegalArgumentException: argument 'amounts' of Ledger.depositAll cannot be decoded");
        assertThat(ledger.balance("gina")).isZero();
    }

    @Test
    void aCallWithoutReplyTimesOutThroughARecordInTheCallersLog() throws Exception {
        BetweenApps.createTopic("between-test.Ghost");
        assertThat(transfers.pingGhost().await().atMost(WAIT)).startsWith("ImmortalCallTimeoutException: Call Transfers:")
                .contains("to Ghost.ping had no reply within PT2S");
        List<ConsumerRecord<byte[], byte[]>> delivered = TopicReader.readAll(BetweenApps.bootstrap(), "between-test.Ghost");
        assertThat(delivered).hasSize(1);
        String callId = TopicReader.header(delivered.get(0), "call-id");
        assertThat(TopicReader.readAll(BetweenApps.bootstrap(), "between-test.Transfers")).anySatisfy(record -> {
            assertThat(TopicReader.header(record, "kind")).isEqualTo("timeout");
            assertThat(TopicReader.header(record, "call-id")).isEqualTo(callId);
        });
    }
}
