package io.quarkiverse.ambrosia.runtime.internal.answer;

/**
 * Where a partition's task sends the answers to the records other application instances wrote with a
 * {@code reply-to}: impulses they wait for, and queries for an impulse's outcome (docs/wire-format.md, "Answers across
 * instances").
 */
public interface Answers {

    /**
     * @param topic the answer topic the record's {@code reply-to} names
     * @param immortal the immortal that ran it
     * @param outcome the answer's {@code outcome}: {@code ok}, {@code failed}, or for an outcome query also
     *        {@code running} or {@code unknown}
     */
    void send(String topic, String immortal, String callId, String outcome, Answer answer);
}
