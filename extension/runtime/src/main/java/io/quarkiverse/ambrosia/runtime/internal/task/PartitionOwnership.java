package io.quarkiverse.ambrosia.runtime.internal.task;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Which partitions of a keyed immortal's log this application instance runs: its membership in the group
 * {@code <topic-prefix><name>.owners}, whose cooperative rebalancing moves only the partitions that must move. A
 * partition assigned here gets a task, which recovers (checkpoint and replay) before it runs anything; a revoked or
 * lost one is stopped before the group may hand it on, and its task dropped. The member reads nothing: its
 * partitions stay paused, and its poll only keeps it in the group.
 * <p>
 * Exactly-once does not rest on the group: each partition's task commits with the transactional id of its partition,
 * so a new owner's task fences an old owner's (a zombie of an earlier generation cannot commit, whatever it believes
 * it owns).
 */
final class PartitionOwnership implements Runnable, ConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(PartitionOwnership.class);

    /** What the ownership changes. */
    interface Tasks {
        void assigned(int partition);

        void revoked(int partition, boolean lost);
    }

    private final String immortal;
    private final String log;
    private final Consumer<byte[], byte[]> consumer;
    private final Tasks tasks;
    private volatile boolean running = true;
    private volatile boolean joined;
    private Thread thread;

    PartitionOwnership(String immortal, String log, Consumer<byte[], byte[]> consumer, Tasks tasks) {
        this.immortal = immortal;
        this.log = log;
        this.consumer = consumer;
        this.tasks = tasks;
    }

    /**
     * @return whether this instance has joined the group: it knows which partitions it runs
     */
    boolean joined() {
        return joined;
    }

    void start() {
        thread = new Thread(this, "ambrosia-owner-" + immortal);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(log), this);
            while (running) {
                try {
                    consumer.poll(Duration.ofMillis(500));
                } catch (WakeupException | InterruptException e) {
                    if (running) {
                        LOG.warnf(e, "Immortal %s: the group membership was interrupted; it goes on", immortal);
                    }
                } catch (RuntimeException e) {
                    if (running) {
                        LOG.errorf(e, "Immortal %s: the group membership failed; it goes on", immortal);
                        sleep();
                    }
                }
            }
        } finally {
            try {
                // leaves the group: the others take the partitions at once, without waiting for a session timeout
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            } catch (RuntimeException e) {
                LOG.debugf(e, "Immortal %s: leaving the group failed", immortal);
            }
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // called after every rebalance this member takes part in, with nothing new too
        joined = true;
        if (partitions.isEmpty()) {
            return;
        }
        consumer.pause(partitions);
        LOG.infof("Immortal %s: partitions %s assigned to this instance", immortal, numbers(partitions));
        for (TopicPartition partition : partitions) {
            tasks.assigned(partition.partition());
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        release(partitions, false);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        release(partitions, true);
    }

    private void release(Collection<TopicPartition> partitions, boolean lost) {
        if (partitions.isEmpty()) {
            return;
        }
        LOG.infof("Immortal %s: partitions %s %s", immortal, numbers(partitions),
                lost ? "lost (this instance was out of the group): their tasks stop" : "revoked: their tasks stop");
        // stopped before returning: the group hands a partition on only once its old owner let it go
        for (TopicPartition partition : partitions) {
            tasks.revoked(partition.partition(), lost);
        }
    }

    private static TreeSet<Integer> numbers(Collection<TopicPartition> partitions) {
        TreeSet<Integer> numbers = new TreeSet<>();
        partitions.forEach(p -> numbers.add(p.partition()));
        return numbers;
    }

    /**
     * Leaves the group (after the tasks were stopped by the revocation it causes) and waits for the thread to end.
     */
    void stop() {
        running = false;
        consumer.wakeup();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(40).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
