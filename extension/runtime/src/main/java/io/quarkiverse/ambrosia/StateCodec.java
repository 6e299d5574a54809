package io.quarkiverse.ambrosia;

import java.io.IOException;

/**
 * Turns an immortal's state into bytes for a checkpoint and back. The default codec writes the immortal's state
 * fields as a JSON object (with map entries sorted by key, so equal states give equal bytes) using the application's
 * Jackson {@code ObjectMapper}. To use another format, provide an {@code @ApplicationScoped} bean implementing this
 * interface; it replaces the default for all immortals.
 * <p>
 * Implementations must be deterministic: equal states must encode to equal bytes, because the checkpoint's hash is
 * compared on replay.
 */
public interface StateCodec {

    /**
     * @param immortal the immortal's bean instance
     * @param type the class annotated {@link Immortal}, whose fields are the state
     * @return the encoded state
     */
    byte[] encode(Object immortal, Class<?> type) throws IOException;

    /**
     * Encodes the state of a fresh instance, before any record ran: the state a replay from the start of the log
     * begins with. Called once per immortal, before any {@link #decodeInto} for it. The default codec also learns here
     * the concrete type each state field starts with (a field declared {@code Map} initialized with a {@code TreeMap}),
     * so that {@link #decodeInto} gives back the same types; a codec of your own may do the same.
     *
     * @param immortal the immortal's bean instance, as created, before any record ran
     * @param type the class annotated {@link Immortal}, whose fields are the state
     * @return the encoded state
     */
    default byte[] encodeInitial(Object immortal, Class<?> type) throws IOException {
        return encode(immortal, type);
    }

    /**
     * Restores the state encoded by {@link #encode} into an existing bean instance, replacing its state fields. The
     * restored fields should have the concrete types a fresh instance's fields have: a replay iterates them as the
     * original run did.
     *
     * @param data the encoded state
     * @param immortal the immortal's bean instance
     * @param type the class annotated {@link Immortal}
     */
    void decodeInto(byte[] data, Object immortal, Class<?> type) throws IOException;
}
