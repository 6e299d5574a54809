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
     * Restores the state encoded by {@link #encode} into an existing bean instance, replacing its state fields.
     *
     * @param data the encoded state
     * @param immortal the immortal's bean instance
     * @param type the class annotated {@link Immortal}
     */
    void decodeInto(byte[] data, Object immortal, Class<?> type) throws IOException;
}
