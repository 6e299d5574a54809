package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import java.io.IOException;

/**
 * The application's state in one partition task, as the task runs and checkpoints it: a singleton immortal's bean
 * ({@link BeanState}), or one instance per key of a keyed immortal ({@link KeyedState}). Changed by the dispatcher under
 * the task's write lock, read by {@code @ReadOnly} methods under its read lock.
 */
public interface PartitionState {

    /**
     * Creates what the state needs before a first restore (the bean, the initial state).
     */
    void ensureCreated() throws IOException;

    /**
     * @return the state now, as a checkpoint keeps it
     */
    byte[] encode() throws IOException;

    /**
     * Replaces the state with a checkpoint's ({@code null}: the initial state); the caller holds the write lock.
     */
    void restore(byte[] state) throws IOException;

    /**
     * @return the codec's name, as checkpoint manifests record it
     */
    String codecName();

    /**
     * @param key the record's immortal key, {@code null} for a singleton
     * @return the instance a record runs on: the key's (created with a fresh state on its first record), or the bean
     */
    Object instanceFor(String key);

    /**
     * @return the instance a read of that key runs on: the key's, or a fresh one (not kept) for a key never called
     */
    Object readInstance(String key);

    /**
     * @return how many keys have a state here (1 for a singleton)
     */
    int keys();
}
