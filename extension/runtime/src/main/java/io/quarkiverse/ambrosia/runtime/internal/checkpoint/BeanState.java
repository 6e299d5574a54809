package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import java.io.IOException;
import java.util.function.Supplier;

import io.quarkiverse.ambrosia.StateCodec;

/**
 * A singleton immortal's bean as its task checkpoints it: created once, on the first recovery, with its initial state
 * (what a replay from the start of the log begins with) kept encoded.
 */
public final class BeanState implements PartitionState {

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
    @Override
    public void ensureCreated() throws IOException {
        if (bean == null) {
            bean = create.get();
            initial = codec.encodeInitial(bean, beanClass);
        }
    }

    /**
     * @return the bean's state now
     */
    @Override
    public byte[] encode() throws IOException {
        return codec.encode(bean, beanClass);
    }

    /**
     * Replaces the bean's state with a checkpoint's ({@code null}: the initial state); the caller holds the write lock.
     */
    @Override
    public void restore(byte[] state) throws IOException {
        codec.decodeInto(state == null ? initial : state, bean, beanClass);
    }

    /**
     * @return the codec's name, as checkpoint manifests record it
     */
    @Override
    public String codecName() {
        return name(codec);
    }

    static String name(StateCodec codec) {
        return codec instanceof JsonStateCodec ? JsonStateCodec.NAME : codec.getClass().getName();
    }

    @Override
    public Object instanceFor(String key) {
        return bean;
    }

    @Override
    public Object readInstance(String key) {
        return bean;
    }

    @Override
    public int keys() {
        return 1;
    }
}
