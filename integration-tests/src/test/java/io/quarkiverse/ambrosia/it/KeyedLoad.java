package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A load of keyed deposits and transfers on the {@link Accounts} of several application instances, with the journal
 * of every answered operation. Each client thread makes one operation at a time, with an {@code Idempotency-Key}, on an
 * instance chosen at random among those the test says are up, and retries it (on any instance) until it is answered
 * {@code 200}: a broken connection, a {@code 503}, a {@code 504} or a {@code 202} (recorded, not run yet) may or may
 * not have applied it, and the key makes that irrelevant. Any other answer fails the run. Every account starts with a large balance, so no transfer is ever
 * refused: an answered operation is applied, and the journal says what every account must hold.
 */
final class KeyedLoad {

    private static final Duration PACE = Duration.ofMillis(20);

    private final List<String> keys;
    private final long initial;
    private final long seed;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // the instances the clients may call; the test removes one before it stops it, adds one once it is ready
    final List<TestApp> up = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> balances = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> operations = new ConcurrentHashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong deposited = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final Map<String, AtomicLong> retryCauses = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean loading = true;

    KeyedLoad(int keyCount, long initial) {
        this.keys = new ArrayList<>();
        for (int k = 0; k < keyCount; k++) {
            keys.add("acct-" + k);
        }
        this.initial = initial;
        this.seed = Long.getLong("crash.seed", System.nanoTime());
    }

    long seed() {
        return seed;
    }

    /**
     * Opens every account with the initial balance, through the given instance.
     */
    void open(TestApp app) {
        for (String key : keys) {
            assertThat(app.post("/keyed/" + key + "/deposit/" + initial).body()).as(key).isEqualTo(Long.toString(initial));
            balances.put(key, new AtomicLong(initial));
            operations.put(key, new AtomicLong(1));
        }
    }

    void start(int count) {
        Random random = new Random(seed);
        for (int c = 0; c < count; c++) {
            Random own = new Random(random.nextLong());
            Thread client = new Thread(() -> run(own), "keyed-load-" + c);
            client.setDaemon(true);
            client.start();
            clients.add(client);
        }
    }

    private void run(Random random) {
        try {
            while (loading) {
                Operation operation = next(random);
                while (!operation.attempt(random)) {
                    retried.incrementAndGet();
                    LockSupport.parkNanos(PACE.toNanos());
                }
                operation.journal();
                answered.incrementAndGet();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private Operation next(Random random) {
        String from = keys.get(random.nextInt(keys.size()));
        if (random.nextInt(4) > 0) {
            return new Operation(from, null, 1 + random.nextInt(100));
        }
        String to;
        do {
            to = keys.get(random.nextInt(keys.size()));
        } while (to.equals(from));
        return new Operation(from, to, 1 + random.nextInt(10));
    }

    /** A deposit into {@code key}, or a transfer from it to {@code to}, with its own idempotency key. */
    private final class Operation {
        final String key;
        final String to;
        final long amount;
        final String idempotencyKey = UUID.randomUUID().toString();

        Operation(String key, String to, long amount) {
            this.key = key;
            this.to = to;
            this.amount = amount;
        }

        boolean attempt(Random random) throws InterruptedException {
            List<TestApp> targets = List.copyOf(up);
            if (targets.isEmpty()) {
                retryCauses.computeIfAbsent("no instance up", c -> new AtomicLong()).incrementAndGet();
                return false;
            }
            TestApp app = targets.get(random.nextInt(targets.size()));
            String path = to == null
                    ? "/keyed/" + key + "/deposit/" + amount
                    : "/keyed/" + key + "/transfer/" + to + "/" + amount;
            HttpRequest request = HttpRequest.newBuilder(URI.create(app.base + path)).timeout(Duration.ofSeconds(60))
                    .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                retryCauses.computeIfAbsent(e.getClass().getSimpleName(), c -> new AtomicLong()).incrementAndGet();
                return false;
            }
            if (response.statusCode() == 200) {
                return true;
            }
            assertThat(response.statusCode()).as("%s %s: a retryable answer: %s", app.base, path, response.body())
                    .isIn(202, 503, 504);
            retryCauses.computeIfAbsent(Integer.toString(response.statusCode()), c -> new AtomicLong()).incrementAndGet();
            return false;
        }

        void journal() {
            if (to == null) {
                deposited.addAndGet(amount);
                balances.get(key).addAndGet(amount);
                operations.get(key).incrementAndGet();
            } else {
                balances.get(key).addAndGet(-amount);
                balances.get(to).addAndGet(amount);
                operations.get(key).incrementAndGet();
                operations.get(to).incrementAndGet();
            }
        }
    }

    /**
     * Waits until the clients have had {@code more} further answers.
     */
    void awaitAnswers(int more, Duration timeout) {
        long target = answered.get() + more;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (answered.get() < target) {
            failIfAClientFailed();
            assertThat(System.nanoTime()).as("%d more answers within %s (%d so far, %d retries: %s)", more, timeout,
                    answered.get(), retried.get(), retryCauses).isLessThan(deadline);
            // the clients count answers: polling their counter is cheaper than a latch per answer
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /**
     * Stops the load: each client ends once its operation under way is answered.
     */
    void stop(Duration timeout) throws InterruptedException {
        loading = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread client : clients) {
            client.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            assertThat(client.isAlive()).as("%s got its last answer within %s", client.getName(), timeout).isFalse();
        }
        failIfAClientFailed();
    }

    private void failIfAClientFailed() {
        Throwable e = failure.get();
        if (e != null) {
            throw new AssertionError("a client failed (seed " + seed + ")", e);
        }
    }

    /**
     * Every account, read through the instance, holds what the journal of answered operations says, and has run as
     * many operations: none is missing, none was applied twice, and the money is all there.
     */
    void assertAccounts(TestApp app) {
        long total = 0;
        for (String key : keys) {
            var response = app.get("/keyed/" + key);
            assertThat(response.statusCode()).as("%s: %s", key, response.body()).isEqualTo(200);
            assertThat(response.body()).as("%s through %s (seed %d)", key, app.base, seed)
                    .isEqualTo(balances.get(key).get() + "/" + operations.get(key).get());
            total += Long.parseLong(response.body().split("/")[0]);
        }
        // transfers move money, deposits add it
        assertThat(total).as("money is conserved").isEqualTo(initial * keys.size() + deposited.get());
    }

    long answered() {
        return answered.get();
    }

    long retried() {
        return retried.get();
    }

    Map<String, Long> retryCauses() {
        Map<String, Long> causes = new TreeMap<>();
        retryCauses.forEach((cause, count) -> causes.put(cause, count.get()));
        return causes;
    }
}
