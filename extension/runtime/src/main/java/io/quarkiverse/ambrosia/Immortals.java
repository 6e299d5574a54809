package io.quarkiverse.ambrosia;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;

import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerContext;

/**
 * Deterministic sources of time, randomness and identity for {@link Immortal} handlers.
 * <p>
 * Each value is derived from the log record being processed, so replaying the record after a crash yields exactly the
 * same values. Use these instead of {@code System.currentTimeMillis()}, {@code new Random()} or
 * {@code UUID.randomUUID()}, which would make replay diverge. They may only be called while a handler runs.
 */
public final class Immortals {

    private Immortals() {
    }

    /**
     * @return the time at which the current call was recorded in the log
     * @throws IllegalStateException outside a handler
     */
    public static Instant now() {
        return HandlerContext.require("Immortals.now()").loggedAt();
    }

    /**
     * @return a random generator seeded from the current log record; successive draws within one handler differ,
     *         and a replay of the record draws the same sequence
     * @throws IllegalStateException outside a handler
     */
    public static RandomGenerator random() {
        return HandlerContext.require("Immortals.random()").random();
    }

    /**
     * @return a random (version 4) UUID drawn from {@link #random()}
     * @throws IllegalStateException outside a handler
     */
    public static UUID uuid() {
        RandomGenerator random = HandlerContext.require("Immortals.uuid()").random();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }

    /**
     * @return the name of the authenticated caller that made the current call, as recorded in its log record, or
     *         empty for an anonymous caller
     * @throws IllegalStateException outside a handler
     */
    public static Optional<String> principal() {
        return Optional.ofNullable(HandlerContext.require("Immortals.principal()").principal());
    }

    /**
     * @return the identifier of the current call, as recorded in its log record
     * @throws IllegalStateException outside a handler
     */
    public static String callId() {
        return HandlerContext.require("Immortals.callId()").callId();
    }

    /**
     * @return the offset of the current call's record in the immortal's log
     * @throws IllegalStateException outside a handler
     */
    public static long offset() {
        return HandlerContext.require("Immortals.offset()").offset();
    }

    /**
     * @return {@code true} while the current call is being replayed during recovery, i.e. its effects were already
     *         committed by an earlier run. Handlers must behave the same either way; this is for logging.
     * @throws IllegalStateException outside a handler
     */
    public static boolean isReplaying() {
        return HandlerContext.require("Immortals.isReplaying()").replaying();
    }
}
