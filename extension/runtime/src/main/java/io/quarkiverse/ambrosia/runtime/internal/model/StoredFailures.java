package io.quarkiverse.ambrosia.runtime.internal.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.reflect.Constructor;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.ImmortalException;

/**
 * Keeps the exception a keyed call threw, to give a retry the same outcome (the same exception, so the same HTTP
 * status through the application's exception mappers) without running the handler again.
 */
public final class StoredFailures {

    private static final int MAX_SERIALIZED = 64 * 1024;

    private StoredFailures() {
    }

    /**
     * @return the exception in Java serialization form, or {@code null} if it is not serializable or too large
     */
    public static byte[] serialize(Throwable failure) {
        if (!(failure instanceof Serializable)) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(failure);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return bytes.size() > MAX_SERIALIZED ? null : bytes.toByteArray();
    }

    /**
     * The failure a reply carries, as JSON: {@code {"type": class name, "message": ...}}. Not in Java serialization
     * form: a reply comes from another service, and deserializing what others wrote is unsafe.
     */
    public record Reply(String type, String message) {
    }

    public static byte[] toReply(ObjectMapper mapper, Throwable failure) {
        try {
            return mapper.writeValueAsBytes(new Reply(failure.getClass().getName(), failure.getMessage()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return the exception a failed reply carries; an {@link ImmortalException} naming the problem if it cannot be
     *         read
     */
    public static Exception fromReply(ObjectMapper mapper, byte[] json) {
        Reply reply;
        try {
            reply = mapper.readValue(json, Reply.class);
        } catch (IOException e) {
            return new ImmortalException("The failed reply cannot be decoded: " + e.getMessage(), e);
        }
        return rebuild(null, reply.type(), reply.message());
    }

    public static Exception rebuild(byte[] serialized, String type, String message) {
        if (serialized != null) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized)) {
                @Override
                protected Class<?> resolveClass(ObjectStreamClass descriptor) throws IOException, ClassNotFoundException {
                    return Class.forName(descriptor.getName(), false, loader);
                }
            }) {
                Object failure = in.readObject();
                if (failure instanceof Exception exception) {
                    return exception;
                }
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                // the class changed since: rebuild from its name and message
            }
        }
        try {
            Class<?> clazz = Class.forName(type, false, Thread.currentThread().getContextClassLoader());
            if (Exception.class.isAssignableFrom(clazz)) {
                Constructor<?> constructor = clazz.getConstructor(String.class);
                return (Exception) constructor.newInstance(message);
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // no public (String) constructor: fall through to a generic exception naming the original
        }
        return new ImmortalException(type + ": " + message);
    }
}
