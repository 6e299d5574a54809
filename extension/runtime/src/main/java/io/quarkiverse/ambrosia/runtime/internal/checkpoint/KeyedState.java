package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.quarkiverse.ambrosia.StateCodec;
import io.quarkiverse.ambrosia.runtime.internal.model.KeyInstances;

/**
 * The keys of a keyed immortal in one partition task: an instance of the immortal's class per key, created with a
 * fresh state on the key's first record. A checkpoint holds every key's state, encoded by the state codec, in key
 * order (docs/wire-format.md, "The state of a keyed partition"): for each key, its length and UTF-8 bytes, then the
 * length and bytes of its state, lengths as 4-byte big-endian integers.
 */
public final class KeyedState implements PartitionState {

    /** The prefix of a keyed partition's codec name in checkpoint manifests: {@code keyed-json} for the default codec. */
    public static final String CODEC_PREFIX = "keyed-";

    private final StateCodec codec;
    private final Class<?> beanClass;
    private final KeyInstances instances;
    private final Map<String, Object> byKey = new HashMap<>();
    private boolean created;

    public KeyedState(StateCodec codec, Class<?> beanClass, KeyInstances instances) {
        this.codec = codec;
        this.beanClass = beanClass;
        this.instances = instances;
    }

    @Override
    public void ensureCreated() throws IOException {
        if (!created) {
            // the codec learns the types of a fresh instance's fields before its first decode
            codec.encodeInitial(instances.create(), beanClass);
            created = true;
        }
    }

    @Override
    public byte[] encode() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + byKey.size() * 32);
        byte[] length = new byte[4];
        for (Map.Entry<String, Object> entry : new TreeMap<>(byKey).entrySet()) {
            write(out, length, entry.getKey().getBytes(StandardCharsets.UTF_8));
            write(out, length, codec.encode(entry.getValue(), beanClass));
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, byte[] length, byte[] bytes) {
        ByteBuffer.wrap(length).putInt(bytes.length);
        out.write(length, 0, 4);
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public void restore(byte[] state) throws IOException {
        byKey.clear();
        if (state == null) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(state);
        while (in.hasRemaining()) {
            String key = new String(read(in, "key"), StandardCharsets.UTF_8);
            byte[] keyState = read(in, "state of key '" + key + "'");
            Object instance = instances.create();
            codec.decodeInto(keyState, instance, beanClass);
            byKey.put(key, instance);
        }
    }

    private static byte[] read(ByteBuffer in, String what) throws IOException {
        if (in.remaining() < 4) {
            throw new IOException("the keyed state ends inside the length of a " + what);
        }
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IOException("the keyed state gives a " + what + " of " + length + " bytes, but " + in.remaining()
                    + " are left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    @Override
    public String codecName() {
        return CODEC_PREFIX + BeanState.name(codec);
    }

    @Override
    public Object instanceFor(String key) {
        return byKey.computeIfAbsent(key, k -> instances.create());
    }

    @Override
    public Object readInstance(String key) {
        Object instance = byKey.get(key);
        return instance != null ? instance : instances.create();
    }

    @Override
    public int keys() {
        return byKey.size();
    }
}
