package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import org.apache.kafka.common.internals.Topic;

import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.quarkiverse.ambrosia.runtime.internal.wire.Kind;

/**
 * What a log's writer supplies beyond what {@link Envelope#from} decodes, checked before a record runs: a record that
 * would make an output the broker cannot take (a reply to a topic that is no immortal's log) or that the dispatcher
 * cannot keep track of (a call or reply without its sender's sequence number) is rejected, the same way on every
 * replay, before it changes anything.
 */
public final class Admission {

    // how much of a writer's value a rejection repeats
    private static final int SHOWN = 64;
    private static final String TOPIC_NAMES = " (1 to 249 ASCII letters, digits, '.', '_' and '-')";

    private final String topicPrefix;

    public Admission(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    /**
     * @return why the record is refused, or {@code null} if it may run
     */
    public String refusal(Envelope envelope) {
        Kind kind = envelope.kind();
        if (!kind.sequenced()) {
            return null;
        }
        if (envelope.sequence() < 0) {
            // without it the receiver cannot drop a duplicate, and the sender never writes one without it
            return "a " + kind + " record needs header '" + Envelope.HEADER_SEQUENCE + "'";
        }
        String senderLog = topicPrefix + envelope.sender();
        if (!Topic.isValid(senderLog)) {
            return "header '" + Envelope.HEADER_SENDER + "' " + shown(envelope.sender()) + " is not an immortal's name: "
                    + shown(senderLog) + " is not a legal topic name" + TOPIC_NAMES;
        }
        String replyTo = envelope.replyTo();
        if (replyTo != null && !replyTo.equals(senderLog)) {
            // a reply goes to the caller's own log, and only there: anywhere else it could not be sent, or would land
            // in the log of an immortal that never made the call
            return "header '" + Envelope.HEADER_REPLY_TO + "' " + shown(replyTo) + " of a call must be the log topic"
                    + " of its sender, " + shown(senderLog)
                    + (Topic.isValid(replyTo) ? "" : "; it is not even a legal topic name" + TOPIC_NAMES);
        }
        return null;
    }

    /**
     * @return a writer's value, quoted, cut short if long: a rejection is logged, and the value may be megabytes
     */
    public static String shown(String value) {
        if (value.length() <= SHOWN) {
            return "'" + value + "'";
        }
        return "'" + value.substring(0, SHOWN) + "...' (" + value.length() + " characters)";
    }
}
