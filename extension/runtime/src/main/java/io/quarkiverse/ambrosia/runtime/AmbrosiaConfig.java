package io.quarkiverse.ambrosia.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Runtime configuration of the Ambrosia extension. Kafka connection settings come from the usual {@code kafka.*}
 * properties (for example {@code kafka.bootstrap.servers}, TLS and SASL settings) and apply to every client the
 * extension creates.
 */
@ConfigMapping(prefix = "quarkus.ambrosia")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface AmbrosiaConfig {

    /**
     * Prefix of every topic and transactional id the extension uses. An immortal named {@code Counter} logs to
     * {@code <prefix>Counter} and checkpoints to {@code <prefix>Counter.checkpoints}. Give each application (or
     * environment) sharing a Kafka cluster its own prefix.
     */
    @WithDefault("ambrosia.")
    String topicPrefix();

    /**
     * How long a caller waits for the result of a call once it is recorded. On timeout the caller gets an
     * {@code ImmortalTimeoutException}; the call itself still runs, exactly once.
     */
    @WithDefault("30s")
    Duration callTimeout();

    /**
     * How long a caller waits for its call to be durably recorded (acknowledged by all in-sync replicas) before it
     * gets an {@code ImmortalUnavailableException}.
     */
    @WithDefault("10s")
    Duration appendTimeout();

    /**
     * Most calls that may wait for one immortal at a time (being recorded or run). Further calls are refused at once
     * with {@code ImmortalOverloadedException} (HTTP 429 with {@code Retry-After}) instead of queueing without bound.
     */
    @WithDefault("1000")
    int maxInFlight();

    /**
     * Replication factor of the topics the extension creates. Defaults to the broker's
     * {@code default.replication.factor}. Use 3 in production.
     */
    OptionalInt replicationFactor();

    /**
     * The log.
     */
    LogConfig log();

    /**
     * Checkpoints.
     */
    CheckpointConfig checkpoint();

    /**
     * The dispatcher.
     */
    DispatcherConfig dispatcher();

    /**
     * Idempotency keys.
     */
    IdempotencyConfig idempotency();

    /**
     * Calls between immortals.
     */
    CallsConfig calls();

    /**
     * How the instances of the application share the partitions of keyed immortals: Kafka's consumer group.
     */
    GroupConfig group();

    /**
     * The name of this application instance among the instances sharing keyed immortals: it names its answer topic,
     * {@code <topic-prefix>answers.<instance-id>}, where the instances running a key's partition send the answers to
     * the calls recorded here, and is its static member id ({@code group.instance.id}) in the groups that share keyed
     * immortals' partitions, so that a restarted instance takes its partitions back at once. Unset, each start takes a
     * random one (and deletes its topic when it stops) and joins the groups as a new member; give a stable one (the
     * pod's name in a StatefulSet) to restart fast and reuse the topic.
     */
    Optional<String> instanceId();

    /**
     * Impulses over HTTP.
     */
    HttpConfig http();

    /**
     * Kafka client properties applied after the {@code kafka.*} ones, to every client of the extension, for example
     * {@code quarkus.ambrosia.kafka."linger.ms"=1}. Properties on which correctness depends (acks, idempotence,
     * isolation level, transactional id) cannot be overridden.
     */
    @ConfigDocMapKey("kafka-property")
    Map<String, String> kafka();

    interface LogConfig {

        /**
         * Whether to delete log records that precede the oldest retained checkpoint, which recovery never needs. The
         * extension creates its topics with time and size retention disabled, so without trimming the log grows
         * forever (keep it if you want to replay or audit all history).
         */
        @WithDefault("true")
        boolean trim();

        /**
         * How far a record's {@code logged-at} may be from its broker timestamp: a time outside this window is taken as
         * its nearest bound, and a time before the previous record's as that one, so {@code Immortals.now()} never goes
         * back. {@code Immortals.now()} and the idempotency window follow this clamped time, so whoever writes to a log
         * can move them ahead by this much at most. The extension creates (or alters) log topics with
         * {@code message.timestamp.type=LogAppendTime}, so the broker timestamp is the broker's clock. Raise it only
         * to replay records whose {@code logged-at} is older than their broker timestamp on purpose (a log copied to
         * another cluster, records written by a tool).
         */
        @WithDefault("1m")
        Duration maxClockSkew();
    }

    interface CheckpointConfig {

        /**
         * Take a checkpoint after this many records have been processed since the last one.
         */
        @WithDefault("10000")
        long intervalRecords();

        /**
         * Take a checkpoint when this much time has passed since the last one and at least one record was processed.
         */
        @WithDefault("60s")
        Duration interval();

        /**
         * Checkpoints are split into records of at most this size. Keep it below the checkpoint topic's
         * {@code max.message.bytes} and the producer's {@code max.request.size} (both 1 MiB by default).
         */
        @WithDefault("512K")
        MemorySize chunkSize();

        /**
         * How many complete checkpoints to keep. Older ones are deleted, and with {@code quarkus.ambrosia.log.trim} the
         * log before the oldest kept checkpoint too.
         */
        @WithDefault("2")
        int retained();

        /**
         * A checkpoint is taken where no call of the immortal to another is outstanding. When one is due while calls
         * are outstanding, a drain record in the log makes new impulses wait until the replies are in; if that takes
         * longer than this, the wait is given up (recorded in the log too) and tried again at the next interval.
         */
        @WithDefault("5s")
        Duration drainTimeout();
    }

    interface GroupConfig {

        /**
         * How long an instance may go without a heartbeat before the group gives its partitions of keyed immortals to
         * the other instances (the consumer's {@code session.timeout.ms}): after a crash, the partitions it owned wait
         * this long for a new owner. The broker bounds it by {@code group.min.session.timeout.ms} and
         * {@code group.max.session.timeout.ms} (6 seconds and 30 minutes by default).
         */
        @WithDefault("45s")
        Duration sessionTimeout();

        /**
         * How often an instance tells the group it is alive (the consumer's {@code heartbeat.interval.ms}); at most a
         * third of {@code session-timeout}.
         */
        @WithDefault("3s")
        Duration heartbeatInterval();
    }

    interface CallsConfig {

        /**
         * How long a call to another immortal may wait for its reply. At the deadline a timeout is recorded in the
         * caller's log and the call's {@code Uni} fails with {@code ImmortalCallTimeoutException}; the call itself was
         * delivered and may still run.
         */
        @WithDefault("60s")
        Duration timeout();

        /**
         * Most calls an immortal may have waiting for replies. Beyond it, new impulses wait in the log (back-pressure:
         * their callers wait, up to {@code call-timeout}) until replies come in; calls from other immortals and
         * replies keep being processed, so cycles between immortals cannot deadlock on this bound.
         */
        @WithDefault("1000")
        int maxOutstanding();
    }

    interface HttpConfig {

        /**
         * Whether the JSON request body of an {@code @Impulse} endpoint must be exactly of the declared type: no string
         * for a number ({@code "100"}), no fraction for an integer ({@code 1.5}), no {@code null} for a primitive, no
         * number for a string or a boolean, no single value for a list or the other way round, no trailing content.
         * Such a body is refused with 400 {@code invalid-request-body} rather than recorded as if the client had meant
         * the coerced value. With {@code false}, impulse bodies are read with the application's Jackson settings.
         * Other endpoints of the application always keep those.
         */
        @WithDefault("true")
        boolean strictBody();
    }

    interface IdempotencyConfig {

        /**
         * How long, in logged time, a call's idempotency key is remembered: a retry with the same key within this
         * window gets the first attempt's outcome without running again. Measured between the logged times of records
         * (their {@code logged-at}, within {@code log.max-clock-skew} of the broker's time), so it is the same on every
         * replay.
         */
        @WithDefault("24h")
        Duration retention();

        /**
         * Most idempotency keys remembered per immortal; beyond it the oldest are forgotten first.
         */
        @WithDefault("100000")
        int maxKeys();
    }

    interface DispatcherConfig {

        /**
         * Most records executed between two transaction commits (the group commit size). Larger batches give higher
         * throughput; results are returned to callers as soon as each call has run, not at commit. Also the most records
         * one poll of the log returns.
         */
        @WithDefault("10000")
        int maxBatch();

        /**
         * How long the dispatcher keeps running records before it commits them (with their outputs: calls and replies
         * to other immortals) in one transaction, unless {@code max-batch} records come first. Callers of impulses get
         * their results as soon as their call has run, so this bounds what a commit costs them, not their latency. Calls
         * and replies to other immortals are committed as soon as no more input waits, and at the latest after this
         * long.
         */
        @WithDefault("100ms")
        Duration commitInterval();

        /**
         * How many dispatcher threads run the partitions of one keyed immortal on this instance, at most (no more than
         * it has partitions here). Each thread runs several partitions, one record at a time, reading them with one
         * consumer; each partition keeps its own transactional producer and commits on its own. Unset: the number of
         * processors the JVM sees. A singleton immortal has one thread of its own.
         */
        OptionalInt threads();
    }
}
