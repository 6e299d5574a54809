package io.quarkiverse.ambrosia.runtime.internal.commit;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

import io.quarkiverse.ambrosia.ImmortalException;
import io.quarkiverse.ambrosia.UnknownImmortalException;

/**
 * Decides whether an output of the dispatcher's transaction (a call, a reply) can be sent. One the producer or the
 * broker refuses fails the whole transaction, and the replay after that failure makes the same output again: so an
 * output larger than the producer's {@code max.request.size}, for a topic that does not exist, or whose send was
 * refused in an earlier attempt of the same commit is not sent. The producer reports such a refusal through the send's
 * callback (it throws only when the transaction itself has failed), which this guard remembers. What the dispatcher
 * does instead (a failed reply to its own log for a call, a log line for a reply or a fork) is its choice.
 */
public final class OutputGuard {

    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    private final Admin admin;
    private final Duration timeout;
    private final int maxRequestSize;
    private final Set<String> knownTopics = new HashSet<>();
    // outputs by sequence number whose send the broker or producer refused on their own account (not because the
    // transaction failed): kept across recoveries of this instance, so they fail one commit, not every one
    private final Map<Long, String> refusedBefore = new ConcurrentHashMap<>();

    public OutputGuard(Admin admin, Map<String, Object> producerConfig, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
        Object configured = producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        this.maxRequestSize = configured == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(configured.toString());
    }

    /**
     * Forgets which topics exist (a recovery may follow their deletion); {@code own} is known to.
     */
    public void reset(String own) {
        knownTopics.clear();
        knownTopics.add(own);
    }

    /**
     * @return why the output cannot be sent, as the exception a call's caller gets for it, or {@code null}
     * @throws Exception when the broker cannot tell whether the topic exists
     */
    public ImmortalException refusal(Output output, ProducerRecord<byte[], byte[]> record) throws Exception {
        String what = "the " + output.envelope().kind() + " " + output.envelope().callId() + " to "
                + output.envelope().target();
        String before = output.sequence() < 0 ? null : refusedBefore.get(output.sequence());
        if (before != null) {
            return new ImmortalException(what + " is not sent: the broker refused it in an earlier attempt to commit it ("
                    + before + ")");
        }
        int size = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                record.key(), record.value(), record.headers().toArray());
        if (size > maxRequestSize) {
            return new ImmortalException(what + " is not sent: it is " + size + " bytes, more than the producer's"
                    + " max.request.size (" + maxRequestSize + ")");
        }
        if (!topicExists(record.topic())) {
            String target = output.envelope().target();
            int method = target.indexOf('#');
            return new UnknownImmortalException("immortal " + (method < 0 ? target : target.substring(0, method))
                    + " does not exist: there is no topic " + record.topic() + " (deploy it first, or check its name and"
                    + " quarkus.ambrosia.topic-prefix)");
        }
        return null;
    }

    /**
     * @return a callback that remembers a refusal of the output's send
     */
    public Callback callback(Output output) {
        if (output.sequence() < 0) {
            return null;
        }
        return (metadata, failure) -> {
            if (failure != null && refusesTheRecord(failure)) {
                refusedBefore.put(output.sequence(), failure.toString());
            }
        };
    }

    /**
     * @return whether the failure is the record's own: sending it again would fail again
     */
    private static boolean refusesTheRecord(Exception failure) {
        return failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
                || failure instanceof InvalidTopicException || failure instanceof TopicAuthorizationException
                || failure instanceof UnknownTopicOrPartitionException || failure instanceof InvalidTimestampException;
    }

    private boolean topicExists(String topic) throws Exception {
        if (knownTopics.contains(topic)) {
            return true;
        }
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException || e.getCause() instanceof InvalidTopicException) {
                return false;
            }
            throw e;
        }
        knownTopics.add(topic);
        return true;
    }
}
