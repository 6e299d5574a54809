package io.quarkiverse.ambrosia.runtime.internal.answer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * This application instance's answer topic, {@code <topic-prefix>answers.<instance-id>}: where the instances that run
 * the partitions of keyed immortals send the answers of the impulses recorded here (their {@code reply-to}). A thread
 * reads it from its end at startup on, and hands each answer to the immortal it names, which completes its caller if
 * one still waits (a duplicate, from a partition's new owner replaying the impulse, finds none).
 */
public final class RemoteAnswers implements Runnable {

    private static final Logger LOG = Logger.getLogger(RemoteAnswers.class);

    private final String topic;
    private final ObjectMapper mapper;
    private final Delivery deliver;
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile boolean running = true;
    private Thread thread;

    /** Hands an answer to the immortal it names. */
    public interface Delivery {
        /**
         * @param outcome the answer's {@code outcome} header: {@code ok}, {@code failed}, {@code running} or
         *        {@code unknown}
         */
        void answered(String immortal, String callId, String outcome, Answer answer);
    }

    public RemoteAnswers(String topic, ObjectMapper mapper, Delivery deliver) {
        this.topic = topic;
        this.mapper = mapper;
        this.deliver = deliver;
    }

    public String topic() {
        return topic;
    }

    /**
     * Creates the topic (one partition, answers kept an hour), positions the reader at its end and starts it.
     */
    public void start(Admin admin, Consumer<byte[], byte[]> reader, Optional<Short> replicationFactor, Duration timeout)
            throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), replicationFactor)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()),
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE))))
                    .all().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        reader.assign(List.of(partition));
        reader.seekToEnd(List.of(partition));
        // resolved now, before any call names this topic: an answer written after it is read
        reader.position(partition, timeout);
        consumer = reader;
        thread = new Thread(this, "ambrosia-answers-in");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        Consumer<byte[], byte[]> reader = consumer;
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            if (running) {
                LOG.errorf(e, "The answers to this instance (%s) cannot be read any more: callers waiting for keys run by"
                        + " other instances time out", topic);
            }
        } finally {
            reader.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        String kind = header(record, Envelope.HEADER_KIND);
        String immortal = header(record, Envelope.HEADER_TARGET);
        String callId = header(record, Envelope.HEADER_CALL_ID);
        String outcome = header(record, Envelope.HEADER_OUTCOME);
        if (!AnswerSender.KIND.equals(kind) || immortal == null || callId == null || outcome == null
                || record.value() == null) {
            LOG.warnf("Ignored the record at offset %d of %s: not an answer (kind %s, target %s, call-id %s, outcome %s)",
                    record.offset(), topic, kind, immortal, callId, outcome);
            return;
        }
        Answer answer;
        try {
            answer = mapper.readValue(record.value(), Answer.class);
        } catch (Exception e) {
            LOG.warnf("Ignored the answer at offset %d of %s to call %s: it does not decode (%s)", record.offset(), topic,
                    callId, e.getMessage());
            return;
        }
        deliver.answered(immortal, callId, outcome, answer);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public void stop(Admin admin, boolean delete) {
        running = false;
        Consumer<byte[], byte[]> reader = consumer;
        if (reader != null) {
            reader.wakeup();
        }
        if (delete && admin != null) {
            try {
                admin.deleteTopics(List.of(topic)).all().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf(e, "Deleting the answer topic %s failed", topic);
            }
        }
    }
}
