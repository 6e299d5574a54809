package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * What a writer supplies in a call or reply beyond what decodes: a sequence number, a sender that names a log, and a
 * reply address that is the sender's own log.
 */
class AdmissionTest {

    private final Admission admission = new Admission("p.");

    @Test
    void callsAndRepliesAsImmortalsWriteThemAreAdmitted() {
        assertThat(admission.refusal(call("Transfers", 3, "p.Transfers"))).isNull();
        assertThat(admission.refusal(call("Transfers", 3, null))).isNull();
        assertThat(admission.refusal(reply("Ledger", 0))).isNull();
        assertThat(admission.refusal(Envelope.impulse("Counter#add", "c1", 1, null, null, new byte[0]))).isNull();
    }

    @Test
    void aCallOrReplyWithoutSequenceIsRefused() {
        assertThat(admission.refusal(call("Transfers", -1, "p.Transfers")))
                .isEqualTo("a call record needs header 'sequence'");
        assertThat(admission.refusal(reply("Ledger", -1))).isEqualTo("a reply record needs header 'sequence'");
    }

    @Test
    void aSenderThatNamesNoTopicIsRefused() {
        assertThat(admission.refusal(call("no such", 1, null))).isEqualTo("header 'sender' 'no such' is not an"
                + " immortal's name: 'p.no such' is not a legal topic name (1 to 249 ASCII letters, digits, '.', '_' and"
                + " '-')");
        assertThat(admission.refusal(reply("x".repeat(248), 1))).startsWith("header 'sender' '" + "x".repeat(64)
                + "...' (248 characters) is not an immortal's name");
    }

    @Test
    void aReplyAddressOtherThanTheSendersLogIsRefused() {
        assertThat(admission.refusal(call("Transfers", 1, "p.Ledger"))).isEqualTo("header 'reply-to' 'p.Ledger' of a"
                + " call must be the log topic of its sender, 'p.Transfers'");
        assertThat(admission.refusal(call("Transfers", 1, "p/Transfers"))).endsWith("; it is not even a legal topic"
                + " name (1 to 249 ASCII letters, digits, '.', '_' and '-')");
    }

    private static Envelope call(String sender, long sequence, String replyTo) {
        return Envelope.call("Ledger#credit(long)", sender + ":" + sequence, 1, null, new byte[0], sender, sequence,
                replyTo);
    }

    private static Envelope reply(String sender, long sequence) {
        return Envelope.reply("Transfers", "Transfers:1", 1, new byte[0], sender, sequence);
    }
}
