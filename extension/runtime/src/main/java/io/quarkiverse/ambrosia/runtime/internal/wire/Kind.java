package io.quarkiverse.ambrosia.runtime.internal.wire;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;

/**
 * What a log record is: the value of its {@code kind} header (docs/wire-format.md).
 */
public enum Kind {
    /** An input from outside any immortal: recorded, then processed exactly once. */
    IMPULSE("impulse", false, false),
    /** A call from another immortal, written in that immortal's processing transaction. */
    CALL("call", true, true),
    /** The outcome of a call, written to the caller's log in the callee's processing transaction. */
    REPLY("reply", true, true),
    /** A call had no reply in time: recorded by the caller in its own log, so a replay sees the same timeout. */
    TIMEOUT("timeout", true, false),
    /** Starts a checkpoint: impulses wait until no call is outstanding, then the state is checkpointed. */
    DRAIN("drain", false, false),
    /** Gives up waiting for the checkpoint a drain record started: deferred impulses run again. */
    RESUME("resume", true, false),
    /**
     * Asks for the outcome of the impulse recorded with an idempotency key: answered, in log order, by the instance that
     * runs the partition, through the answer topic the record names. Changes nothing.
     */
    OUTCOME("outcome", false, false);

    private static final Kind[] VALUES = values();

    private final String wire;
    private final byte[] wireBytes;
    private final boolean appliedOnArrival;
    private final boolean sequenced;

    Kind(String wire, boolean appliedOnArrival, boolean sequenced) {
        this.wire = wire;
        this.wireBytes = wire.getBytes(UTF_8);
        this.appliedOnArrival = appliedOnArrival;
        this.sequenced = sequenced;
    }

    /**
     * @return the header's value
     */
    public String wire() {
        return wire;
    }

    byte[] wireBytes() {
        return wireBytes;
    }

    /**
     * @return whether records of this kind come from immortals and the extension itself rather than from outside:
     *         they are applied as they arrive, even while impulses wait (back-pressure, checkpoint drain)
     */
    public boolean appliedOnArrival() {
        return appliedOnArrival;
    }

    /**
     * @return whether records of this kind carry their sender and its output sequence number (calls and replies)
     */
    public boolean sequenced() {
        return sequenced;
    }

    /**
     * @return whether a version 1 record may be of this kind (version 1 had impulses only)
     */
    boolean inVersion1() {
        return this == IMPULSE;
    }

    /**
     * @return the kind these header bytes spell, or {@code null}
     */
    public static Kind fromWire(byte[] value) {
        if (value == null) {
            return null;
        }
        for (Kind kind : VALUES) {
            if (Arrays.equals(value, kind.wireBytes)) {
                return kind;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return wire;
    }
}
