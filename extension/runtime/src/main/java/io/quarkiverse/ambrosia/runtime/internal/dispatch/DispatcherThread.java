package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * A dispatcher thread: runs the partition tasks given to it ({@link TaskRunner}), one record at a time, through one
 * consumer assigned all their partitions (as a Kafka Streams stream thread runs its tasks). Each task keeps its own
 * transactional producer, so each commits (and is fenced) on its own. Tasks come and go while it runs: a new one
 * recovers on this thread before it runs anything, while the others wait; one removed is stopped between two records
 * and its partition released before {@link #remove} returns.
 * <p>
 * A failure of one task sends that task back to recover; a failure of the consumer, every task.
 */
public final class DispatcherThread implements Runnable {

    private static final Logger LOG = Logger.getLogger(DispatcherThread.class);
    private static final Duration IDLE = Duration.ofMillis(100);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final List<TaskRunner> runners = new ArrayList<>();
    // changes asked by other threads, applied by this one between two polls
    private final ConcurrentLinkedQueue<Change> changes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger hosted = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean running = true;
    private volatile Thread thread;
    private volatile Consumer<byte[], byte[]> consumer;
    private Consumer<byte[], byte[]> restoreConsumer;

    private record Change(TaskRunner runner, boolean add, CompletableFuture<Void> done) {
    }

    /**
     * @param name names the thread {@code ambrosia-dispatcher-<name>}
     * @param consumers opens a consumer of the immortal's log (its group, {@code read_committed}), not subscribed: one
     *        for the tasks' partitions, one to read their checkpoints while they recover
     */
    public DispatcherThread(String name, Supplier<Consumer<byte[], byte[]>> consumers) {
        this.name = name;
        this.consumers = consumers;
    }

    public void start() {
        Thread t = new Thread(this, "ambrosia-dispatcher-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    public boolean onDispatcher() {
        return Thread.currentThread() == thread;
    }

    /**
     * @return how many tasks this thread runs, or has been asked to
     */
    public int hosted() {
        return hosted.get();
    }

    /**
     * Gives the thread a task: it recovers it, then runs it with the others.
     */
    public void add(TaskRunner runner) {
        hosted.incrementAndGet();
        changes.add(new Change(runner, true, new CompletableFuture<>()));
        wake();
    }

    /**
     * Stops a task between two records (committing what it ran, if it is recovered) and releases its partition; waits
     * until that is done (interrupting the thread if a recovery blocks it too long).
     */
    public void remove(TaskRunner runner) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        changes.add(new Change(runner, false, done));
        if (onDispatcher()) {
            // asked by code this thread runs: waiting here would wait for itself; applied before the next poll
            return;
        }
        wake();
        try {
            try {
                done.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                Thread t = thread;
                if (t != null) {
                    t.interrupt();
                }
                done.get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Dispatcher %s: stopping a task of %s took too long (%s)", name, runner.log(), e.toString());
        }
    }

    /**
     * Stops every task and the thread, and waits for it to end.
     */
    public void stop() {
        running = false;
        wake();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(STOP_TIMEOUT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void wake() {
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                applyChanges();
                if (runners.isEmpty()) {
                    awaitWork();
                    continue;
                }
                try {
                    openConsumers();
                    recoverDue();
                    pollAndProcess();
                } catch (WakeupException e) {
                    // a change or the stop: applied at the top of the loop
                } catch (InterruptException e) {
                    // the stop, or a removal that waited too long for a recovery: every task recovers again (if still
                    // hosted) as after any failure of the consumer
                    Thread.interrupted();
                    consumerFailed(e);
                } catch (Exception e) {
                    consumerFailed(e);
                }
            }
        } finally {
            for (TaskRunner runner : runners) {
                runner.stop();
            }
            runners.clear();
            closeConsumers();
            for (Change change; (change = changes.poll()) != null;) {
                if (change.add) {
                    change.runner.stop();
                }
                change.done.complete(null);
            }
        }
    }

    private void awaitWork() {
        synchronized (idle) {
            if (running && changes.isEmpty()) {
                try {
                    idle.wait(IDLE.toMillis());
                } catch (InterruptedException e) {
                    // a stop: the loop checks
                }
            }
        }
    }

    private void applyChanges() {
        for (Change change; (change = changes.poll()) != null;) {
            if (change.add) {
                runners.add(change.runner);
            } else {
                if (runners.contains(change.runner)) {
                    change.runner.stop();
                    drop(change.runner);
                }
                change.done.complete(null);
            }
        }
    }

    private void openConsumers() {
        if (consumer == null) {
            consumer = consumers.get();
            restoreConsumer = consumers.get();
        }
    }

    private void recoverDue() {
        long now = System.nanoTime();
        for (TaskRunner runner : List.copyOf(runners)) {
            if (!running || !changes.isEmpty()) {
                return;
            }
            if (runner.recoveryDue(now)) {
                try {
                    runner.recover(consumer, restoreConsumer);
                } catch (WakeupException | InterruptException e) {
                    runner.failed(e, true);
                    throw e;
                } catch (Exception e) {
                    runner.failed(e, !running);
                    dropIfEnded(runner);
                }
            }
        }
    }

    private void pollAndProcess() {
        List<TaskRunner> live = new ArrayList<>();
        long now = System.nanoTime();
        Duration timeout = IDLE;
        for (TaskRunner runner : runners) {
            if (runner.running()) {
                live.add(runner);
                Duration own = runner.pollTimeout(now);
                if (own.compareTo(timeout) < 0) {
                    timeout = own;
                }
            }
        }
        if (live.isEmpty()) {
            // every task waits for its back-off before it recovers again
            awaitWork();
            return;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        for (TaskRunner runner : live) {
            try {
                runner.polled(records.records(runner.log()), consumer);
            } catch (WakeupException e) {
                // between two records of the task, or after them: the change is applied next
                throw e;
            } catch (InterruptException e) {
                runner.failed(e, true);
                throw e;
            } catch (Exception e) {
                runner.failed(e, !running);
                dropIfEnded(runner);
            }
        }
    }

    /** A task fenced or unable to recover leaves the thread. */
    private void dropIfEnded(TaskRunner runner) {
        if (runner.ended()) {
            drop(runner);
        }
    }

    /** The task leaves the thread, and its partition the consumer's assignment. */
    private void drop(TaskRunner runner) {
        if (!runners.remove(runner)) {
            return;
        }
        hosted.decrementAndGet();
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            Set<TopicPartition> assigned = new HashSet<>(current.assignment());
            if (assigned.remove(runner.log())) {
                current.assign(assigned);
            }
        }
    }

    /**
     * The consumer failed (or was interrupted): every task recovers again, on new consumers.
     */
    private void consumerFailed(Exception e) {
        if (running) {
            LOG.errorf(e, "Dispatcher %s: its consumer failed; its tasks recover again", name);
        }
        for (TaskRunner runner : List.copyOf(runners)) {
            runner.failed(e, !running);
            dropIfEnded(runner);
        }
        closeConsumers();
    }

    private void closeConsumers() {
        Consumer<byte[], byte[]> current = consumer;
        consumer = null;
        for (Consumer<byte[], byte[]> c : new Consumer[]{current, restoreConsumer}) {
            if (c != null) {
                try {
                    c.close(Duration.ofSeconds(5));
                } catch (Exception e) {
                    LOG.debugf(e, "Dispatcher %s: closing a consumer failed", name);
                }
            }
        }
        restoreConsumer = null;
    }
}
