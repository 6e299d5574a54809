package io.quarkiverse.ambrosia.runtime.internal.task;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

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
 * <p>
 * What this instance serves from local state does rest on it, so the membership keeps a lease: it is current while
 * the member's poll loop comes back within {@code session timeout - 2 heartbeat intervals}, the longest an instance
 * can be away and still be sure the group has not given its partitions to another. An instance that was away longer
 * (paused by {@code SIGSTOP}, a long GC pause, a starved machine) cannot know whether it still owns anything: it stops
 * every task it runs before the lease is current again, and asks the group to rebalance; the rebalance restarts the
 * tasks of the partitions it still owns (recovering them) and hands the others on. A task fenced by another instance
 * asks for the same reconciliation.
 */
final class PartitionOwnership implements Runnable, ConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(PartitionOwnership.class);

    private static final Duration POLL = Duration.ofMillis(500);

    /** What the ownership changes. */
    interface Tasks {
        /** Starts a task for the partition (recovering it), replacing whatever held it. */
        void assigned(int partition);

        /** Stops the partition's task; another instance runs it from now on. */
        void revoked(int partition, boolean lost);

        /** @return whether a task of this instance holds the partition (running, recovering, failed or fenced) */
        boolean running(int partition);

        /** Stops the tasks of every partition, as {@link #revoked} does, until the group says which are still here. */
        void suspendAll();
    }

    private final String immortal;
    private final String log;
    private final Consumer<byte[], byte[]> consumer;
    private final Tasks tasks;
    private final long leaseNanos;
    private volatile boolean running = true;
    private volatile boolean joined;
    // set when this instance cannot know what it owns (it was away too long, or a task was fenced) until a rebalance
    private volatile boolean doubtful;
    // when the member's last poll came back, on the monotonic clock
    private volatile long lastPollNanos = System.nanoTime();
    // time spent in the rebalance listener during the poll under way: not time away from the group
    private long listenerNanos;
    private Thread thread;

    /**
     * @param sessionTimeout the member's session timeout
     * @param heartbeatInterval the member's heartbeat interval
     */
    PartitionOwnership(String immortal, String log, Consumer<byte[], byte[]> consumer, Tasks tasks,
            Duration sessionTimeout, Duration heartbeatInterval) {
        this.immortal = immortal;
        this.log = log;
        this.consumer = consumer;
        this.tasks = tasks;
        this.leaseNanos = Math.max(POLL.toNanos() * 2, sessionTimeout.minus(heartbeatInterval.multipliedBy(2)).toNanos());
    }

    /**
     * @return whether this instance may serve a partition it runs from local state now: it has joined the group, is not
     *         in doubt about what it owns, and its membership was confirmed recently enough that no other instance can
     *         have been given its partitions
     */
    boolean current() {
        // lastPollNanos is written after doubtful, so a reader that sees the new poll time sees the doubt too
        long last = lastPollNanos;
        return joined && !doubtful && System.nanoTime() - last < leaseNanos;
    }

    /**
     * Asks for a rebalance, after which every partition the group still gives this instance has a task again: for a
     * task that was fenced (another instance believes it owns the partition).
     */
    void reconcile() {
        doubtful = true;
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
            boolean rebalanceAsked = false;
            while (running) {
                try {
                    if (doubtful && !rebalanceAsked) {
                        consumer.enforceRebalance("immortal " + immortal + ": this instance is unsure which partitions"
                                + " it still owns");
                        rebalanceAsked = true;
                    }
                    listenerNanos = 0;
                    consumer.poll(POLL);
                    long after = System.nanoTime();
                    // away: since the last poll came back, less the time the poll may wait and the listener's
                    if (checkLease(after - lastPollNanos - listenerNanos - POLL.toNanos()) || !doubtful) {
                        rebalanceAsked = false;
                    }
                    // after stopping tasks (which takes a while) the lease starts again from now, still in doubt
                    lastPollNanos = System.nanoTime();
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

    /**
     * Stops every task if the member's poll loop was away longer than the lease: the group may have given its
     * partitions to others meanwhile.
     *
     * @return whether it did
     */
    private boolean checkLease(long awayNanos) {
        if (!joined || awayNanos < leaseNanos) {
            return false;
        }
        doubtful = true;
        LOG.warnf("Immortal %s: this instance was away from the group for %d ms (paused or starved), longer than its"
                + " lease of %d ms: it stops the tasks of its partitions and asks the group which it still owns",
                immortal, TimeUnit.NANOSECONDS.toMillis(awayNanos), TimeUnit.NANOSECONDS.toMillis(leaseNanos));
        tasks.suspendAll();
        return true;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // called after every rebalance this member takes part in, with nothing new too
        listening(() -> assign(partitions));
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        listening(() -> release(partitions, false));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        listening(() -> release(partitions, true));
    }

    /** Runs a callback of the rebalance listener, counting its time as time in the listener, not away. */
    private void listening(Runnable callback) {
        long start = System.nanoTime();
        try {
            callback.run();
        } finally {
            listenerNanos += System.nanoTime() - start;
        }
    }

    private void assign(Collection<TopicPartition> partitions) {
        TreeSet<Integer> added = numbers(partitions);
        if (!added.isEmpty()) {
            consumer.pause(partitions);
            LOG.infof("Immortal %s: partitions %s assigned to this instance", immortal, added);
        }
        TreeSet<Integer> owned = numbers(consumer.assignment());
        owned.addAll(added);
        TreeSet<Integer> restarted = new TreeSet<>();
        for (int partition : owned) {
            if (!tasks.running(partition)) {
                if (!added.contains(partition)) {
                    restarted.add(partition);
                }
                tasks.assigned(partition);
            }
        }
        if (!restarted.isEmpty()) {
            LOG.infof("Immortal %s: the group confirms partitions %s are still this instance's: their tasks start"
                    + " again", immortal, restarted);
        }
        doubtful = false;
        joined = true;
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
