package io.quarkiverse.ambrosia.runtime.internal.calls;

import java.time.Duration;

import io.quarkiverse.ambrosia.runtime.internal.commit.Output;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerContext;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TopicNames;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.smallrye.mutiny.Uni;

/**
 * A call from a handler of an immortal to a method of another, local or in another service: queued as an output of the
 * task's current transaction; its reply completes the returned {@code Uni} or {@code CompletionStage} on the
 * caller's dispatcher.
 */
public final class CallSender {

    private final String immortal;
    private final TopicNames names;
    private final Duration timeout;
    private final boolean keyed;

    public CallSender(TopicNames names, Duration timeout) {
        this(names, timeout, false);
    }

    /**
     * @param keyed whether the calling immortal is keyed: each of its partitions' tasks then numbers its calls on its
     *        own, and its replies come back to that partition
     */
    public CallSender(TopicNames names, Duration timeout, boolean keyed) {
        this.immortal = names.immortal();
        this.names = names;
        this.timeout = timeout;
        this.keyed = keyed;
    }

    /**
     * @return {@code null} for a fork, else the {@code Uni} or {@code CompletionStage} of the reply
     */
    public Object call(String targetImmortal, Handler target, Object[] arguments) {
        HandlerContext context = HandlerContext.require("A call to another immortal");
        if (target.returns == Handler.Returns.VALUE) {
            throw new IllegalStateException("Immortal " + immortal + " calls " + target.qualifiedName + ", which returns"
                    + " its value: a handler cannot wait for a reply that only its own dispatcher can deliver; declare it"
                    + " returning Uni<T> or CompletionStage<T>, or void for a fork");
        }
        PartitionTask task = context.task();
        byte[] payload = target.encodeArguments(arguments);
        long sequence = task.outbox().allocateSequence();
        String callId = (keyed ? immortal + "/" + task.partition() : immortal) + ":" + sequence;
        boolean request = target.returns != Handler.Returns.VOID;
        // stamped with the time it is made (the callee's Immortals.now()): only the callee's state depends on it,
        // through its own log; the deadline only arms the timer whose timeout is recorded
        long now = System.currentTimeMillis();
        Outstanding outstanding = request
                ? new Outstanding(callId, target, context.principal(), now + timeout.toMillis())
                : null;
        Envelope envelope = Envelope.call(target.callTarget(targetImmortal), callId, now, context.principal(), payload,
                immortal, sequence, request ? names.log() : null);
        if (keyed) {
            envelope = envelope.withSenderPartition(task.partition());
        }
        int partition = 0;
        if (target.keyed()) {
            // the producer picks the key's partition, as the callee's recorder does: murmur2 over its partitions
            envelope = envelope.withKey(target.keyOf(arguments));
            partition = -1;
        }
        task.outbox().add(new Output(sequence, names.logOf(targetImmortal), partition, envelope, outstanding,
                context.offset()));
        if (!request) {
            return null;
        }
        task.calls().add(outstanding);
        return target.returns == Handler.Returns.UNI ? Uni.createFrom().completionStage(outstanding) : outstanding.copy();
    }
}
