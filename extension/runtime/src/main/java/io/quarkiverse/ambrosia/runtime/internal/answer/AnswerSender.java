package io.quarkiverse.ambrosia.runtime.internal.answer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * Sends the answers of impulses recorded by other application instances to their answer topics, as soon as the
 * handler ran: not in the task's transaction (the impulse is durable and a replay reaches the same answer, so an
 * answer lost in a crash is sent again by the partition's next owner). On a thread of its own, whose producer may
 * wait for an answer topic's metadata without holding up a dispatcher. An answer that cannot be sent (the instance
 * that waited for it is gone, with its topic) is dropped: its caller timed out, or retries.
 */
public final class AnswerSender implements Answers {

    private static final Logger LOG = Logger.getLogger(AnswerSender.class);

    /** The kind of the records of answer topics; no log holds one. */
    public static final String KIND = "answer";
    private static final byte[] ANSWER = KIND.getBytes(StandardCharsets.UTF_8);

    private final Supplier<Producer<byte[], byte[]>> producer;
    private final ObjectMapper mapper;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ambrosia-answers-out");
        t.setDaemon(true);
        return t;
    });

    public AnswerSender(Supplier<Producer<byte[], byte[]>> producer, ObjectMapper mapper) {
        this.producer = producer;
        this.mapper = mapper;
    }

    @Override
    public void send(String topic, String immortal, String callId, String outcome, Answer answer) {
        byte[] value;
        try {
            value = mapper.writeValueAsBytes(answer);
        } catch (Exception e) {
            LOG.warnf("Immortal %s: the answer to call %s cannot be written (%s); its caller gets none", immortal,
                    callId, e);
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(Envelope.HEADER_VERSION, Envelope.VERSION_3.getBytes(StandardCharsets.UTF_8));
        headers.add(Envelope.HEADER_KIND, ANSWER);
        headers.add(Envelope.HEADER_TARGET, immortal.getBytes(StandardCharsets.UTF_8));
        headers.add(Envelope.HEADER_CALL_ID, callId.getBytes(StandardCharsets.UTF_8));
        headers.add(Envelope.HEADER_OUTCOME, outcome.getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, (byte[]) null, value, headers);
        try {
            thread.execute(() -> {
                try {
                    producer.get().send(record, (metadata, failure) -> {
                        if (failure != null) {
                            LOG.debugf("Immortal %s: the answer to call %s was not sent to %s: %s", immortal, callId,
                                    topic, failure);
                        }
                    });
                } catch (RuntimeException e) {
                    LOG.debugf("Immortal %s: the answer to call %s was not sent to %s: %s", immortal, callId, topic, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    public void close() {
        thread.shutdownNow();
    }
}
