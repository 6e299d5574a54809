package io.quarkiverse.ambrosia.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The load and the kills of a crash test: client threads call the applications while, one kill at a time, a process
 * chosen at random is killed with {@link AppProcess#kill9()} and started again. All that is random (the clients'
 * operations, which process is killed and when) comes from one seed, {@code -Dcrash.seed} or else the clock, printed
 * with the option that repeats the run.
 * <p>
 * A kill comes after a random number of further answers, or, every so many kills, while the process started by the
 * kill before is recovering: that process is not waited for, only for its {@value #RECOVERING} log line. Every so many
 * kills may instead be an outage: the process stays down for a while before it is started again. After the
 * kills, once every process is ready again and some more answers have come, the clients stop and the counts are
 * returned; the processes are left running for the test's checks.
 *
 * <pre>
 * KillUnderLoad.Result load = KillUnderLoad.builder("TransferCrashIT")
 *         .process(accounts, accountsUrl + "/q/health/ready", 200)
 *         .process(transfers, transfersUrl + "/q/health/ready", 200)
 *         .clients(4, () -> random -> transfer(random.nextInt(ACCOUNTS), random.nextInt(ACCOUNTS)))
 *         .kills(10)
 *         .killAfterAnswers(20, 200)
 *         .killWhileRecoveringEvery(3)
 *         .run();
 * </pre>
 */
public final class KillUnderLoad {

    /**
     * What an application logs when it starts recovering its state, and a kill while recovering waits for.
     */
    public static final String RECOVERING = "recovering from";

    private static final Duration PACE = Duration.ofMillis(20);
    private static final Duration POLL = Duration.ofMillis(5);

    /**
     * One client's operations, called by one thread only: an instance may keep state between attempts, such as an
     * operation to retry until it is answered.
     */
    @FunctionalInterface
    public interface Client {
        /**
         * Makes one attempt at an operation. After an unanswered attempt the client waits about 20 ms, so that it does
         * not spin while an application is down. Once the load stops, a client whose last attempt went unanswered is
         * called again until it is answered: no operation of a client is left in doubt at the end.
         *
         * @param random this client's own random, seeded from the run's seed
         * @return whether the application answered; {@code false} where it may or may not have applied the operation
         *         (refused or broken connection, timeout, a retryable status)
         * @throws Exception to fail the run, with this as the cause
         */
        boolean attempt(Random random) throws Exception;
    }

    /**
     * What a run did.
     *
     * @param seed the seed of the run
     * @param answered how many attempts were answered
     * @param unanswered how many attempts were not
     * @param killsPerProcess how often each process was killed, in the order they were added
     */
    public record Result(long seed, long answered, long unanswered, List<Integer> killsPerProcess) {
    }

    private record Target(AppProcess app, String readyUrl, int readyStatus) {
        @Override
        public String toString() {
            return app.outputFile().getFileName() + " (pid " + app.pid() + ")";
        }
    }

    private final String name;
    private final long seed;
    private final List<Target> targets;
    private final int clientCount;
    private final Supplier<? extends Client> newClient;
    private final int kills;
    private final int minAnswers;
    private final int maxAnswers;
    private final int recoveringEvery;
    private final int answersAfterKills;
    private final Target lineTarget;
    private final String line;
    private final int lineEvery;
    private final Target outageTarget;
    private final Duration outage;
    private final int outageEvery;
    private final Duration timeout;

    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicReference<Throwable> clientFailure = new AtomicReference<>();
    private volatile boolean loading = true;
    private volatile boolean abandoned;

    private KillUnderLoad(Builder builder) {
        this.name = builder.name;
        this.seed = Long.getLong("crash.seed", System.nanoTime());
        this.targets = List.copyOf(builder.targets);
        this.clientCount = builder.clientCount;
        this.newClient = builder.newClient;
        this.kills = builder.kills;
        this.minAnswers = builder.minAnswers;
        this.maxAnswers = builder.maxAnswers;
        this.recoveringEvery = builder.recoveringEvery;
        this.answersAfterKills = builder.answersAfterKills;
        this.lineTarget = target(builder.lineApp, "killOnLogLine");
        this.line = builder.line;
        this.lineEvery = builder.lineEvery;
        this.outageTarget = target(builder.outageApp, "outageEvery");
        this.outage = builder.outage;
        this.outageEvery = builder.outageEvery;
        this.timeout = builder.timeout;
    }

    private Target target(AppProcess app, String option) {
        return app == null
                ? null
                : targets.stream().filter(t -> t.app == app).findFirst()
                        .orElseThrow(() -> new IllegalStateException(option + " names a process not added"));
    }

    /**
     * @param name the test, named in the printed seed and kills and in failure messages
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    private Result run() throws InterruptedException {
        System.out.println(name + " seed: " + seed + " (rerun with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        Set<Target> unready = new LinkedHashSet<>();
        for (Target target : targets) {
            if (!target.app.isAlive()) {
                target.app.start();
            }
            unready.add(target);
        }
        awaitReady(unready);
        List<Thread> clients = new ArrayList<>();
        boolean stopped = false;
        try {
            for (int c = 0; c < clientCount; c++) {
                clients.add(startClient(newClient.get(), new Random(random.nextLong()), c));
            }
            List<Integer> killed = killAll(random);
            awaitAnswers(answered.get() + answersAfterKills);
            stopClients(clients);
            stopped = true;
            return new Result(seed, answered.get(), unanswered.get(), killed);
        } finally {
            if (!stopped) {
                abandon(clients);
            }
        }
    }

    private List<Integer> killAll(Random random) throws InterruptedException {
        int[] killed = new int[targets.size()];
        Set<Target> unready = new LinkedHashSet<>();
        Target restarted = null;
        for (int kill = 1; kill <= kills; kill++) {
            int index = random.nextInt(targets.size());
            Target target = targets.get(index);
            String when;
            Duration down = Duration.ZERO;
            if (lineEvery > 0 && kill % lineEvery == 0) {
                // a kill at a moment the process names: right after it logs the line
                awaitReady(unready);
                index = targets.indexOf(lineTarget);
                target = lineTarget;
                awaitLogLine(() -> lineTarget.app.awaitNextLogLine(line, timeout));
                when = "right after it logged '" + line + "'";
            } else if (outageEvery > 0 && kill % outageEvery == 0) {
                // an outage rather than a crash: callers outwait their timeouts while the process is down
                awaitReady(unready);
                index = targets.indexOf(outageTarget);
                target = outageTarget;
                int more = minAnswers + random.nextInt(maxAnswers - minAnswers);
                awaitAnswers(answered.get() + more);
                down = outage;
                when = "after " + more + " more answers, kept down for " + outage;
            } else if (restarted != null && recoveringEvery > 0 && kill % recoveringEvery == 0) {
                // the process the last kill started has not been waited for: catch it in its recovery
                Target recovering = restarted;
                awaitLogLine(() -> recovering.app.awaitLogLine(RECOVERING, timeout));
                when = restarted == target ? "while it recovers" : "while " + restarted + " recovers";
            } else {
                awaitReady(unready);
                int more = minAnswers + random.nextInt(maxAnswers - minAnswers);
                awaitAnswers(answered.get() + more);
                when = "after " + more + " more answers";
            }
            System.out.printf("%s kill %d of %d: %s, %s%n", name, kill, kills, target, when);
            target.app.kill9();
            if (!down.isZero()) {
                // the outage itself: nothing to await, the clients go on loading the other processes meanwhile
                Thread.sleep(down.toMillis());
            }
            target.app.start();
            killed[index]++;
            unready.add(target);
            restarted = target;
        }
        awaitReady(unready);
        return Arrays.stream(killed).boxed().toList();
    }

    private void awaitReady(Set<Target> unready) {
        for (Target target : unready) {
            target.app.awaitHttp(target.readyUrl, target.readyStatus, timeout);
        }
        unready.clear();
    }

    private void awaitAnswers(long target) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (answered.get() < target) {
            failIfAClientFailed();
            if (System.nanoTime() >= deadline) {
                throw new AssertionError(String.format("%s: %d answers expected within %s, got %d (%d unanswered);"
                        + " processes alive: %s", name, target, timeout, answered.get(), unanswered.get(),
                        targets.stream().map(t -> t.app.isAlive()).toList()));
            }
            // the clients count answers: polling their counter is cheaper than a latch per answer
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private Thread startClient(Client client, Random random, int index) {
        Thread thread = new Thread(() -> {
            boolean answer = true;
            try {
                while (!abandoned && (loading || !answer)) {
                    answer = client.attempt(random);
                    if (answer) {
                        answered.incrementAndGet();
                    } else {
                        unanswered.incrementAndGet();
                        LockSupport.parkNanos(PACE.toNanos());
                    }
                }
            } catch (Throwable e) {
                if (!abandoned) {
                    clientFailure.compareAndSet(null, e);
                }
            }
        }, name + "-client-" + index);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void stopClients(List<Thread> clients) throws InterruptedException {
        loading = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread client : clients) {
            client.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (client.isAlive()) {
                throw new AssertionError(name + ": " + client.getName() + " got no answer within " + timeout
                        + " after the load stopped");
            }
        }
        failIfAClientFailed();
    }

    // A line may never come once the clients failed and the load stopped: their failure is the cause to report.
    private void awaitLogLine(Runnable await) {
        try {
            await.run();
        } catch (RuntimeException e) {
            failIfAClientFailed();
            throw e;
        }
    }

    private void failIfAClientFailed() {
        Throwable failure = clientFailure.get();
        if (failure != null) {
            throw new AssertionError(name + ": a client failed", failure);
        }
    }

    // The run failed: stop the clients without waiting for answers, and without hiding the failure.
    private void abandon(List<Thread> clients) throws InterruptedException {
        abandoned = true;
        loading = false;
        for (Thread client : clients) {
            client.interrupt();
        }
        for (Thread client : clients) {
            client.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /**
     * Configures and runs a {@link KillUnderLoad}.
     */
    public static final class Builder {
        private final String name;
        private final List<Target> targets = new ArrayList<>();
        private int clientCount;
        private Supplier<? extends Client> newClient;
        private int kills;
        private int minAnswers = 50;
        private int maxAnswers = 400;
        private int recoveringEvery;
        private int answersAfterKills = 100;
        private AppProcess lineApp;
        private String line;
        private int lineEvery;
        private AppProcess outageApp;
        private Duration outage;
        private int outageEvery;
        private Duration timeout = Duration.ofSeconds(90);

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Adds a process to kill. One that is not running is started by {@link #run()}.
         *
         * @param app the process
         * @param readyUrl where it answers {@code readyStatus} to GET once it serves again after a start
         * @param readyStatus that status
         * @return this builder
         */
        public Builder process(AppProcess app, String readyUrl, int readyStatus) {
            targets.add(new Target(Objects.requireNonNull(app), Objects.requireNonNull(readyUrl), readyStatus));
            return this;
        }

        /**
         * @param count how many client threads load the processes
         * @param newClient makes one {@link Client} for each thread
         * @return this builder
         */
        public Builder clients(int count, Supplier<? extends Client> newClient) {
            this.clientCount = atLeast(1, count, "clients");
            this.newClient = Objects.requireNonNull(newClient);
            return this;
        }

        /**
         * @param kills how many kills, each of one process
         * @return this builder
         */
        public Builder kills(int kills) {
            this.kills = atLeast(1, kills, "kills");
            return this;
        }

        /**
         * @param min the fewest further answers a kill waits for (50 unless set)
         * @param max more than the most it waits for (400 unless set)
         * @return this builder
         */
        public Builder killAfterAnswers(int min, int max) {
            this.minAnswers = atLeast(0, min, "min");
            this.maxAnswers = atLeast(min + 1, max, "max");
            return this;
        }

        /**
         * @param k every {@code k}-th kill comes as soon as the process the kill before started logs
         *        {@value KillUnderLoad#RECOVERING}, and kills that process or, with several processes, maybe another;
         *        {@code 0} (the default) never
         * @return this builder
         */
        public Builder killWhileRecoveringEvery(int k) {
            this.recoveringEvery = atLeast(0, k, "k");
            return this;
        }

        /**
         * @param app one of the processes
         * @param line text of a log line of that process
         * @param k every {@code k}-th kill is of that process, as soon as it logs a line containing {@code line}
         *        after all processes are ready (this rule goes before {@link #killWhileRecoveringEvery})
         * @return this builder
         */
        public Builder killOnLogLine(AppProcess app, String line, int k) {
            this.lineApp = Objects.requireNonNull(app);
            this.line = Objects.requireNonNull(line);
            this.lineEvery = atLeast(1, k, "k");
            return this;
        }

        /**
         * @param app one of the processes
         * @param down how long it stays down
         * @param k every {@code k}-th kill is of that process, after a random number of further answers as other kills,
         *        and it is started again only {@code down} later: an outage longer than its callers' timeouts (this
         *        rule goes after {@link #killOnLogLine} and before {@link #killWhileRecoveringEvery})
         * @return this builder
         */
        public Builder outageEvery(AppProcess app, Duration down, int k) {
            this.outageApp = Objects.requireNonNull(app);
            this.outage = Objects.requireNonNull(down);
            this.outageEvery = atLeast(1, k, "k");
            return this;
        }

        /**
         * @param answers how many answers to wait for after the last kill, once all processes are ready (100 unless
         *        set)
         * @return this builder
         */
        public Builder answersAfterKills(int answers) {
            this.answersAfterKills = atLeast(0, answers, "answers");
            return this;
        }

        /**
         * @param timeout how long each wait may take at most: for a process to be ready or to log its recovery, for
         *        the answers before a kill or after the last, and for the clients to stop (90 s unless set)
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Starts the processes not running, waits until all are ready, starts the clients, does the kills, waits for
         * the answers after them and stops the clients.
         *
         * @return the counts of the run; the processes are left running
         * @throws AssertionError if a client fails, or answers or a client's stop take longer than the timeout
         * @throws IllegalStateException if a process exits on its own, or is not ready or recovering in time
         * @throws InterruptedException if interrupted
         */
        public Result run() throws InterruptedException {
            if (targets.isEmpty() || newClient == null || kills == 0) {
                throw new IllegalStateException("A run needs processes, clients and kills");
            }
            return new KillUnderLoad(this).run();
        }

        private static int atLeast(int min, int value, String name) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", not " + value);
            }
            return value;
        }
    }
}
