package io.quarkiverse.ambrosia;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Makes a class an <em>immortal</em>: an application-scoped bean whose state survives any crash.
 * <p>
 * Every call into an immortal from outside it (a REST resource, a scheduled method, a test, any other bean) is first
 * appended to the immortal's log, a Kafka topic, and only then executed by the immortal's dispatcher, one call at a
 * time, in log order. The caller gets the result once the call has run. The immortal's fields are its state: they are
 * checkpointed to Kafka, and after a crash the newest checkpoint is loaded and the rest of the log replayed, so every
 * call whose caller got a result is reflected exactly once.
 * <p>
 * Rules, checked at build time:
 * <ul>
 * <li>the class must not be final, and its business methods must not be final, so calls can be intercepted;</li>
 * <li>state fields (every instance field that is neither {@code transient}, nor static, nor injected) must be
 * serializable to JSON: no {@code final} fields, no threads, locks, streams or other resources;</li>
 * <li>handlers must be deterministic: the same state and arguments give the same new state and result. Take time,
 * randomness and identifiers from {@link Immortals}, which derives them from the log.</li>
 * </ul>
 * Methods annotated {@link ReadOnly} are not logged: they read the local state.
 * <p>
 * An immortal whose methods take a {@link Key} parameter is <em>keyed</em>: one logical instance, with its own state,
 * per key, spread over the {@link #partitions()} of its log and over every instance of the application.
 */
@Documented
@Retention(RUNTIME)
@Target(TYPE)
public @interface Immortal {

    /**
     * The immortal's name: it names its Kafka topics ({@code <topic-prefix><name>} for the log,
     * {@code <topic-prefix><name>.checkpoints} for checkpoints) and its transactional id. Defaults to the simple name
     * of the class. Renaming an immortal starts it from an empty log.
     */
    String name() default "";

    /**
     * The number of partitions of a keyed immortal's log: how many application instances (and dispatcher threads) can
     * share its work. A key's records go to partition {@code murmur2(utf8(key)) mod partitions}, so the count cannot
     * change once the log exists: an existing log with another count is refused at start. {@code 0} (the default)
     * means {@value #DEFAULT_KEYED_PARTITIONS} for a keyed immortal and 1 for a singleton, which has only one.
     */
    int partitions() default 0;

    /** The partition count of a keyed immortal that does not set {@link #partitions()}. */
    int DEFAULT_KEYED_PARTITIONS = 12;
}
