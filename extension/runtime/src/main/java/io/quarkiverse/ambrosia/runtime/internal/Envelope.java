package io.quarkiverse.ambrosia.runtime.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A log record as the wire format spec (docs/wire-format.md) defines it: routing and identity in headers, the
 * arguments, as a JSON array, in the value.
 */
public record Envelope(String kind, String target, String callId, long loggedAt, String principal, String idempotencyKey,
        byte[] payload) {

    public static final String VERSION = "1";

    public static final String HEADER_VERSION = "ambrosia-version";
    public static final String HEADER_KIND = "kind";
    public static final String HEADER_TARGET = "target";
    public static final String HEADER_CALL_ID = "call-id";
    public static final String HEADER_LOGGED_AT = "logged-at";
    public static final String HEADER_PRINCIPAL = "principal";
    public static final String HEADER_IDEMPOTENCY_KEY = "idempotency-key";

    /** An input from outside any immortal: recorded, then processed exactly once. */
    public static final String KIND_IMPULSE = "impulse";

    private static final byte[] VERSION_BYTES = VERSION.getBytes(UTF_8);

    /**
     * @return the target header value for a method of an immortal
     */
    public static String target(String immortal, String handlerId) {
        return immortal + "#" + handlerId;
    }

    /**
     * @return what a call asks for (its target and arguments), for comparing two requests made with the same
     *         idempotency key
     */
    static String requestHash(String target, byte[] payload) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update(target.getBytes(UTF_8));
        digest.update((byte) 0);
        digest.update(payload);
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    ProducerRecord<byte[], byte[]> toProducerRecord(String topic) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_VERSION, VERSION_BYTES);
        headers.add(HEADER_KIND, kind.getBytes(UTF_8));
        headers.add(HEADER_TARGET, target.getBytes(UTF_8));
        headers.add(HEADER_CALL_ID, callId.getBytes(UTF_8));
        headers.add(HEADER_LOGGED_AT, Long.toString(loggedAt).getBytes(UTF_8));
        if (principal != null) {
            headers.add(HEADER_PRINCIPAL, principal.getBytes(UTF_8));
        }
        if (idempotencyKey != null) {
            headers.add(HEADER_IDEMPOTENCY_KEY, idempotencyKey.getBytes(UTF_8));
        }
        return new ProducerRecord<>(topic, 0, loggedAt, null, payload, headers);
    }

    /**
     * Decodes a log record.
     *
     * @throws InvalidEnvelopeException naming what is wrong, for a record this version cannot process
     */
    static Envelope from(ConsumerRecord<byte[], byte[]> record) {
        String version = null;
        String kind = null;
        String target = null;
        String callId = null;
        String loggedAt = null;
        String principal = null;
        String idempotencyKey = null;
        for (Header header : record.headers()) {
            String value = header.value() == null ? null : new String(header.value(), UTF_8);
            switch (header.key()) {
                case HEADER_VERSION -> version = value;
                case HEADER_KIND -> kind = value;
                case HEADER_TARGET -> target = value;
                case HEADER_CALL_ID -> callId = value;
                case HEADER_LOGGED_AT -> loggedAt = value;
                case HEADER_PRINCIPAL -> principal = value;
                case HEADER_IDEMPOTENCY_KEY -> idempotencyKey = value;
                default -> {
                    // unknown headers are allowed: writers may add tracing and other metadata
                }
            }
        }
        if (version == null) {
            throw new InvalidEnvelopeException("missing header '" + HEADER_VERSION + "'");
        }
        if (!VERSION.equals(version)) {
            throw new InvalidEnvelopeException("unsupported " + HEADER_VERSION + " '" + version + "' (this version reads '"
                    + VERSION + "')");
        }
        if (!KIND_IMPULSE.equals(kind)) {
            throw new InvalidEnvelopeException("unsupported kind '" + kind + "'");
        }
        if (target == null) {
            throw new InvalidEnvelopeException("missing header '" + HEADER_TARGET + "'");
        }
        if (callId == null || callId.isEmpty()) {
            throw new InvalidEnvelopeException("missing header '" + HEADER_CALL_ID + "'");
        }
        long loggedAtMillis;
        try {
            loggedAtMillis = loggedAt == null ? record.timestamp() : Long.parseLong(loggedAt);
        } catch (NumberFormatException e) {
            throw new InvalidEnvelopeException("header '" + HEADER_LOGGED_AT + "' is not a number: '" + loggedAt + "'");
        }
        byte[] payload = record.value() == null ? new byte[0] : record.value();
        return new Envelope(kind, target, callId, loggedAtMillis, principal, idempotencyKey, payload);
    }

    /**
     * A record that cannot be decoded. Rejected deterministically: the same record is rejected on every replay.
     */
    static final class InvalidEnvelopeException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        InvalidEnvelopeException(String message) {
            super(message, null, false, false);
        }
    }
}
