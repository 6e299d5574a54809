package io.quarkiverse.ambrosia.runtime.internal.answer;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.quarkiverse.ambrosia.ImmortalUnavailableException;
import io.quarkiverse.ambrosia.runtime.internal.log.Appender;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * Fetches the outcome of a keyed call (the {@code Location} of a {@code 202}) kept by a partition that another
 * instance runs: an outcome query is recorded in that partition, after the call's own record, and the partition's
 * owner answers it in log order through this instance's answer topic: with the outcome, with {@code running} (and the
 * outcome once the call completes), or with {@code unknown}.
 */
public final class OutcomeQueries {

    private final String immortal;
    private final Appender appender;
    private final Supplier<String> answerTopic;
    private final Duration timeout;
    private final Map<String, Query> waiting = new ConcurrentHashMap<>();

    /** What the owner answered one query, so far. */
    private static final class Query {
        boolean running;
        Outcome outcome;
        Exception notRecorded;
    }

    /**
     * @param answerTopic this instance's answer topic, or {@code null} while it is not open
     * @param timeout how long to wait for the owner's first answer: it answers when its task reaches the query in the
     *        log, so longer while the partition moves or recovers
     */
    public OutcomeQueries(String immortal, Appender appender, Supplier<String> answerTopic, Duration timeout) {
        this.immortal = immortal;
        this.appender = appender;
        this.answerTopic = answerTopic;
        this.timeout = timeout;
    }

    /**
     * @param key the call's idempotency key
     * @param partition the partition that keeps its outcome
     * @param wait how long to wait for a call that still runs to complete
     * @return the outcome, or that the call still runs, or that the partition holds no outcome for the key
     * @throws ImmortalUnavailableException if the query could not be recorded, or the owner did not answer it within
     *         the timeout
     */
    public Outcome fetch(String key, int partition, Duration wait) throws InterruptedException {
        String what = "Fetching the outcome of '" + key + "' from partition " + partition + " of immortal " + immortal;
        String replyTo = answerTopic.get();
        if (replyTo == null) {
            throw new ImmortalUnavailableException(what + ": another instance runs that partition, and this instance's"
                    + " answer topic is not open");
        }
        String callId = UUID.randomUUID().toString();
        Query query = new Query();
        waiting.put(callId, query);
        try {
            long start = System.nanoTime();
            appender.sendQuery(Envelope.outcomeQuery(immortal, callId, System.currentTimeMillis(), key, replyTo),
                    partition, what, (metadata, exception) -> {
                        if (exception != null) {
                            synchronized (query) {
                                query.notRecorded = exception;
                                query.notifyAll();
                            }
                        }
                    });
            long waitDeadline = start + wait.toNanos();
            long answerDeadline = start + Math.max(wait.toNanos(), timeout.toNanos());
            synchronized (query) {
                while (true) {
                    if (query.outcome != null) {
                        return query.outcome;
                    }
                    if (query.notRecorded != null) {
                        throw new ImmortalUnavailableException(what + ": not recorded: " + query.notRecorded.getMessage(),
                                query.notRecorded);
                    }
                    long now = System.nanoTime();
                    if (query.running && now - waitDeadline >= 0) {
                        return new Outcome(Outcome.State.RUNNING, null, null);
                    }
                    if (now - answerDeadline >= 0) {
                        throw new ImmortalUnavailableException(what + ": the instance that runs the partition did not"
                                + " answer within " + timeout + " (the partition may be moving to another instance or"
                                + " recovering); try again");
                    }
                    TimeUnit.NANOSECONDS.timedWait(query, (query.running ? waitDeadline : answerDeadline) - now);
                }
            }
        } finally {
            waiting.remove(callId);
        }
    }

    /**
     * @param outcome the answer's {@code outcome} header
     * @return whether the answer is to a query made here (else it is to a call)
     */
    public boolean answered(String callId, String outcome, Answer answer) {
        Query query = waiting.get(callId);
        if (query == null) {
            return false;
        }
        synchronized (query) {
            switch (outcome) {
                case Envelope.OUTCOME_RUNNING -> query.running = true;
                case Envelope.OUTCOME_UNKNOWN -> query.outcome = new Outcome(Outcome.State.UNKNOWN, null, null);
                case Envelope.OUTCOME_FAILED -> query.outcome = new Outcome(Outcome.State.FAILED, null,
                        StoredFailures.rebuild(answer.error(), answer.errorType(), answer.errorMessage()));
                default -> query.outcome = new Outcome(Outcome.State.DONE, answer.result(), null, answer.status(),
                        answer.headers());
            }
            query.notifyAll();
        }
        return true;
    }
}
