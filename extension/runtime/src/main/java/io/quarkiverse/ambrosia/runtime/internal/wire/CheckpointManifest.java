package io.quarkiverse.ambrosia.runtime.internal.wire;

/**
 * The last record of a checkpoint: it makes the checkpoint count. Serialized as JSON (docs/wire-format.md).
 *
 * @param version format version, 1
 * @param immortal the immortal's name
 * @param checkpointId unique id, also in the header of every chunk
 * @param logOffset the offset of the first log record <em>not</em> reflected in the state: replay starts there
 * @param chunks number of chunk records
 * @param size total state size in bytes
 * @param sha256 hex SHA-256 of the state bytes
 * @param firstChunkOffset offset of chunk 0 in the checkpoint topic
 * @param codec the state codec that wrote the bytes
 * @param createdAt epoch milliseconds, informational
 * @param systemChunks number of chunk records of the extension's own state (the idempotency table), 0 if none
 * @param systemSize size of that state in bytes
 * @param systemSha256 hex SHA-256 of that state, or null
 */
public record CheckpointManifest(int version, String immortal, String checkpointId, long logOffset, int chunks, long size,
        String sha256, long firstChunkOffset, String codec, long createdAt, int systemChunks, long systemSize,
        String systemSha256) {
}
