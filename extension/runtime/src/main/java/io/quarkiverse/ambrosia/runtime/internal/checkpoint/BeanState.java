package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import java.io.IOException;
import java.util.function.Supplier;

import io.quarkiverse.ambrosia.StateCodec;

/**
 * The immortal's bean as a task checkpoints it: created once, on the first recovery, with its initial state (what a
 * replay from the start of the log begins with) kept encoded.
 */
public final class BeanState {

    private final StateCodec codec;
    private final Class<?> beanClass;
    private final Supplier<Object> create;
    private Object bean;
    private byte[] initial;

    public BeanState(StateCodec codec, Class<?> beanClass, Supplier<Object> create) {
        this.codec = codec;
        this.beanClass = beanClass;
        this.create = create;
    }

    /**
     * Creates the bean if it does not exist yet, and keeps its initial state.
     */
    public void ensureCreated() throws IOException {
        if (bean == null) {
            bean = create.get();
            initial = codec.encodeInitial(bean, beanClass);
        }
    }

    /**
     * @return the bean's state now
     */
    public byte[] encode() throws IOException {
        return codec.encode(bean, beanClass);
    }

    /**
     * Replaces the bean's state with a checkpoint's ({@code null}: the initial state); the caller holds the write lock.
     */
    public void restore(byte[] state) throws IOException {
        codec.decodeInto(state == null ? initial : state, bean, beanClass);
    }

    /**
     * @return the codec's name, as checkpoint manifests record it
     */
    public String codecName() {
        return codec instanceof JsonStateCodec ? JsonStateCodec.NAME : codec.getClass().getName();
    }
}
