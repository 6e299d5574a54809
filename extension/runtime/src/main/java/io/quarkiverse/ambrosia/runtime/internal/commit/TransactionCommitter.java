package io.quarkiverse.ambrosia.runtime.internal.commit;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.ImmortalException;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.Checkpointer;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.Admission;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TaskProducer;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.quarkiverse.ambrosia.runtime.internal.wire.Kind;

/**
 * The commit stage's mechanism: one transaction holds the outputs of the records run since the last one (calls,
 * replies, control records), the consumed offset with the task's position as metadata, and, for a checkpoint, the
 * state. The records before the offset count as processed exactly when their outputs are written. A commit of offsets
 * alone runs on the committer thread, so records arriving meanwhile run without waiting for its round trips.
 */
public final class TransactionCommitter {

    private static final Logger LOG = Logger.getLogger(TransactionCommitter.class);

    private final String immortal;
    private final String logTopic;
    private final TopicPartition log;
    private final ConsumerGroupMetadata group;
    private final PartitionTask task;
    private final ObjectMapper mapper;
    private final OutputGuard guard;
    private final Checkpointer checkpointer;
    private final CommitPolicy policy;
    private final ExecutorService committerThread;
    private TaskProducer producer;
    // an offsets-only commit in flight, or null; the next commit waits for it, and its failure is the dispatcher's
    private Future<?> committing;

    public TransactionCommitter(String immortal, TopicPartition log, String group, PartitionTask task,
            ObjectMapper mapper, OutputGuard guard, Checkpointer checkpointer, CommitPolicy policy,
            ExecutorService committerThread) {
        this.immortal = immortal;
        this.logTopic = log.topic();
        this.log = log;
        this.group = new ConsumerGroupMetadata(group);
        this.task = task;
        this.mapper = mapper;
        this.guard = guard;
        this.checkpointer = checkpointer;
        this.policy = policy;
        this.committerThread = committerThread;
    }

    /**
     * The producer of this recovery: the previous one was closed with its clients.
     */
    public void use(TaskProducer recovered) {
        producer = recovered;
        guard.reset(logTopic);
    }

    /**
     * Commits a transaction.
     *
     * @param checkpoint whether it holds a checkpoint of the state too
     * @return whether it sent a call that expects a reply (whose timeout is to be armed)
     */
    public boolean commit(boolean checkpoint) throws Exception {
        awaitCommitting();
        long start = System.nanoTime();
        long position = task.gate().nextUnprocessed();
        Checkpointer.Encoded encoded = checkpoint ? checkpointer.encode(position) : null;
        OffsetAndMetadata offset = new OffsetAndMetadata(position,
                CommittedPosition.metadata(mapper, task.gate().appliedThrough(), task.outbox().nextSequence()));
        if (encoded == null && task.outbox().isEmpty()) {
            int records = policy.committed();
            TaskProducer current = producer;
            committing = committerThread.submit(() -> {
                current.begin();
                current.sendOffsets(log, offset, group);
                current.commit();
                LOG.debugf("Immortal %s: committed %d records in %d us", immortal, records,
                        TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
                return null;
            });
            return false;
        }
        producer.begin();
        boolean sentRequests = sendOutputs();
        var manifest = encoded == null ? null : checkpointer.write(producer, position, encoded);
        producer.sendOffsets(log, offset, group);
        producer.commit();
        LOG.debugf("Immortal %s: committed %d records in %d us", immortal, policy.committed(),
                TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
        if (manifest != null) {
            checkpointer.committed(manifest, start);
        }
        return sentRequests;
    }

    /**
     * Sends the queued outputs in the open transaction, except those an earlier instance wrote. An output that cannot
     * be sent ({@link OutputGuard}) would fail the commit on every replay: a call that expects a reply is answered
     * instead with a failed reply in this immortal's own log, so the caller's {@code Uni} fails at the same point on
     * every replay; a reply or a fork is dropped, with a log line naming the record that made it.
     */
    private boolean sendOutputs() throws Exception {
        boolean requests = false;
        for (Output output : task.outbox().take()) {
            if (task.outbox().alreadyWritten(output)) {
                continue;
            }
            Envelope envelope = output.envelope();
            ProducerRecord<byte[], byte[]> record = envelope.toProducerRecord(output.topic(), output.partition());
            ImmortalException refusal = guard.refusal(output, record);
            if (refusal != null) {
                if (output.request() == null) {
                    LOG.errorf("Immortal %s: dropped the %s (call %s) made by the record at offset %d of %s: %s",
                            immortal, envelope.kind() == Kind.REPLY ? "reply" : "fork", Admission.shown(envelope.callId()),
                            output.source(), logTopic, refusal.getMessage());
                    continue;
                }
                record = Envelope.failedReply(immortal, envelope.callId(), envelope.loggedAt(),
                        StoredFailures.toReply(mapper, refusal), immortal, output.sequence())
                        .toProducerRecord(logTopic, task.partition());
            } else if (output.request() != null) {
                requests = true;
            }
            producer.send(record, guard.callback(output));
        }
        return requests;
    }

    /**
     * Rethrows the failure of the offsets-only commit in flight, if it has ended: a failed commit (fenced, broker gone)
     * is handled as if the dispatcher had run it.
     */
    public void checkCommitting() throws Exception {
        if (committing != null && committing.isDone()) {
            awaitCommitting();
        }
    }

    private void awaitCommitting() throws Exception {
        Future<?> current = committing;
        if (current == null) {
            return;
        }
        committing = null;
        try {
            current.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }

    /**
     * Before the clients close: waits a little for the commit in flight, whose records a later recovery replays anyway.
     */
    public void abandon() {
        Future<?> current = committing;
        committing = null;
        if (current != null) {
            try {
                current.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf(e, "Immortal %s: the last commit did not complete", immortal);
            }
        }
        producer = null;
    }
}
