package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import io.quarkiverse.ambrosia.runtime.internal.task.LocalImmortal;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;

/**
 * The log record a dispatcher thread is executing. Everything a handler may observe about "now" comes from here, so
 * a replay observes the same.
 */
public final class HandlerContext {

    private static final ThreadLocal<HandlerContext> CURRENT = new ThreadLocal<>();

    private final LocalImmortal immortal;
    private final PartitionTask task;
    private final long offset;
    private final String callId;
    private final long loggedAt;
    private final boolean replaying;
    private final String principal;
    private SplittableRandom random;

    public HandlerContext(LocalImmortal immortal, PartitionTask task, long offset, String callId, long loggedAt,
            String principal, boolean replaying) {
        this.immortal = immortal;
        this.task = task;
        this.offset = offset;
        this.callId = callId;
        this.loggedAt = loggedAt;
        this.replaying = replaying;
        this.principal = principal;
    }

    public static HandlerContext current() {
        return CURRENT.get();
    }

    public static HandlerContext require(String what) {
        HandlerContext context = CURRENT.get();
        if (context == null) {
            throw new IllegalStateException(what + " may only be called while an @Immortal handler runs: its value is"
                    + " derived from the log record being processed");
        }
        return context;
    }

    public static void enter(HandlerContext context) {
        CURRENT.set(context);
    }

    public static void exit() {
        CURRENT.remove();
    }

    public LocalImmortal immortal() {
        return immortal;
    }

    /**
     * @return the partition task running the record
     */
    public PartitionTask task() {
        return task;
    }

    public long offset() {
        return offset;
    }

    public String callId() {
        return callId;
    }

    public Instant loggedAt() {
        return Instant.ofEpochMilli(loggedAt);
    }

    public String principal() {
        return principal;
    }

    public boolean replaying() {
        return replaying;
    }

    public RandomGenerator random() {
        if (random == null) {
            random = new SplittableRandom(seed(callId, offset));
        }
        return random;
    }

    public static long seed(String callId, long offset) {
        // FNV-1a over the call id: stable across JVMs and languages, unlike String.hashCode's 32 bits
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < callId.length(); i++) {
            hash ^= callId.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash ^ (offset * 0x9E3779B97F4A7C15L);
    }
}
