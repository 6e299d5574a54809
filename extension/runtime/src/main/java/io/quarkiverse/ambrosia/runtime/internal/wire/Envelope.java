package io.quarkiverse.ambrosia.runtime.internal.wire;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A log record as the wire format spec (docs/wire-format.md) defines it: routing and identity in headers, the
 * arguments (as a JSON array) or a reply's result in the value.
 *
 * Built by one factory per kind ({@link #impulse}, {@link #call}, {@link #reply}, {@link #failedReply},
 * {@link #timeout}, {@link #control}) and decoded by {@link #from}.
 *
 * @param kind what the record is
 * @param target {@code <immortal>#<method-id>} for impulses and calls, the receiving immortal's name otherwise
 * @param callId the call's id; for a reply or a timeout, the id of the call it answers
 * @param sender the immortal that sent a call or reply, else {@code null}
 * @param sequence the sender's output sequence number of a call or reply, else -1
 * @param replyTo the log topic a call's reply goes to; {@code null} for a fork (no reply)
 * @param outcome a reply's outcome: {@link #OUTCOME_OK} or {@link #OUTCOME_FAILED}
 * @param key the immortal key (the record key, UTF-8) of a keyed immortal's impulse or call, else {@code null}
 * @param senderPartition the partition of the sender's log whose task sent a call or reply, for a keyed sender (its
 *        replies go to that partition); -1 for a singleton sender
 */
public record Envelope(Kind kind, String target, String callId, long loggedAt, String principal, String idempotencyKey,
        byte[] payload, String sender, long sequence, String replyTo, String outcome, String key, int senderPartition) {

    /** The version written on records of keyed immortals (a key, or a sender partition). */
    public static final String VERSION_3 = "3";
    /** The version written on every other record: version 2 readers read them. */
    public static final String VERSION = "2";
    /** Version 1 had impulses only; its records are read unchanged. */
    public static final String VERSION_1 = "1";

    public static final String HEADER_VERSION = "ambrosia-version";
    public static final String HEADER_KIND = "kind";
    public static final String HEADER_TARGET = "target";
    public static final String HEADER_CALL_ID = "call-id";
    public static final String HEADER_LOGGED_AT = "logged-at";
    public static final String HEADER_PRINCIPAL = "principal";
    public static final String HEADER_IDEMPOTENCY_KEY = "idempotency-key";
    public static final String HEADER_SENDER = "sender";
    public static final String HEADER_SEQUENCE = "sequence";
    public static final String HEADER_REPLY_TO = "reply-to";
    public static final String HEADER_OUTCOME = "outcome";
    public static final String HEADER_SENDER_PARTITION = "sender-partition";

    public static final String OUTCOME_OK = "ok";
    public static final String OUTCOME_FAILED = "failed";
    /** The outcome of an answer to an outcome query whose impulse still runs. */
    public static final String OUTCOME_RUNNING = "running";
    /** The outcome of an answer to an outcome query whose key the partition holds no outcome for. */
    public static final String OUTCOME_UNKNOWN = "unknown";

    private static final byte[] VERSION_BYTES = VERSION.getBytes(UTF_8);
    private static final byte[] VERSION_3_BYTES = VERSION_3.getBytes(UTF_8);
    // the values a header can take, so that decoding one allocates no string
    private static final String[] VERSIONS = {VERSION, VERSION_1, VERSION_3};
    private static final String[] OUTCOMES = {OUTCOME_OK, OUTCOME_FAILED};
    private static final byte[][] VERSIONS_BYTES = bytes(VERSIONS);
    private static final byte[][] OUTCOMES_BYTES = bytes(OUTCOMES);

    /**
     * @return the target header value for a method of an immortal
     */
    public static String target(String immortal, String handlerId) {
        return immortal + "#" + handlerId;
    }

    /**
     * An impulse, as an application instance records it.
     */
    public static Envelope impulse(String target, String callId, long loggedAt, String principal, String idempotencyKey,
            byte[] payload) {
        return new Envelope(Kind.IMPULSE, target, callId, loggedAt, principal, idempotencyKey, payload, null, -1, null,
                null, null, -1);
    }

    /**
     * A call from one immortal to another, as its sender writes it into the receiver's log.
     *
     * @param replyTo the sender's log topic, or {@code null} for a fork (no reply)
     */
    public static Envelope call(String target, String callId, long loggedAt, String principal, byte[] payload,
            String sender, long sequence, String replyTo) {
        return new Envelope(Kind.CALL, target, callId, loggedAt, principal, null, payload, sender, sequence, replyTo,
                null, null, -1);
    }

    /**
     * The reply to a call that ran and returned: the result's JSON.
     *
     * @param receiver the immortal that made the call
     */
    public static Envelope reply(String receiver, String callId, long loggedAt, byte[] result, String sender,
            long sequence) {
        return new Envelope(Kind.REPLY, receiver, callId, loggedAt, null, null, result, sender, sequence, null,
                OUTCOME_OK, null, -1);
    }

    /**
     * The reply to a call that failed, or could not be delivered: the failure as a stored failure's JSON.
     *
     * @param receiver the immortal that made the call
     */
    public static Envelope failedReply(String receiver, String callId, long loggedAt, byte[] failure, String sender,
            long sequence) {
        return new Envelope(Kind.REPLY, receiver, callId, loggedAt, null, null, failure, sender, sequence, null,
                OUTCOME_FAILED, null, -1);
    }

    /**
     * That the call {@code callId} of {@code immortal} had no reply in time, in its own log.
     */
    public static Envelope timeout(String immortal, String callId, long loggedAt) {
        return new Envelope(Kind.TIMEOUT, immortal, callId, loggedAt, null, null, new byte[0], null, -1, null, null, null, -1);
    }

    /**
     * A query for the outcome of the impulse recorded with {@code idempotencyKey} in a partition that another instance
     * runs, answered to {@code answerTopic}.
     */
    public static Envelope outcomeQuery(String immortal, String callId, long loggedAt, String idempotencyKey,
            String answerTopic) {
        return new Envelope(Kind.OUTCOME, immortal, callId, loggedAt, null, idempotencyKey, new byte[0], null, -1,
                answerTopic, null, null, -1);
    }

    /**
     * A record the extension writes into an immortal's own log to steer its dispatcher: {@link Kind#DRAIN} or
     * {@link Kind#RESUME}.
     */
    public static Envelope control(Kind kind, String immortal, String callId, long loggedAt) {
        if (kind != Kind.DRAIN && kind != Kind.RESUME) {
            throw new IllegalArgumentException(kind + " is no control record");
        }
        return new Envelope(kind, immortal, callId, loggedAt, null, null, new byte[0], null, -1, null, null, null, -1);
    }

    /**
     * @return the kind a record's header names, or {@code null} if it names none this version knows: for a record
     *         that does not decode, whose kind still decides the order it is rejected in
     */
    public static Kind kindOf(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(HEADER_KIND);
        return header == null ? null : Kind.fromWire(header.value());
    }

    /**
     * @return what a call asks for (its target and arguments), for comparing two requests made with the same
     *         idempotency key
     */
    public static String requestHash(String target, byte[] payload) {
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

    /**
     * @return this record with another logged time (see {@link LogClock})
     */
    public Envelope withLoggedAt(long time) {
        return new Envelope(kind, target, callId, time, principal, idempotencyKey, payload, sender, sequence, replyTo,
                outcome, key, senderPartition);
    }

    /**
     * @return this record for the state of one key of a keyed immortal: written with the key as its record key
     */
    public Envelope withKey(String immortalKey) {
        return new Envelope(kind, target, callId, loggedAt, principal, idempotencyKey, payload, sender, sequence, replyTo,
                outcome, immortalKey, senderPartition);
    }

    /**
     * @return this impulse with the answer topic of the instance that records it and waits for its answer
     */
    public Envelope withReplyTo(String answerTopic) {
        return new Envelope(kind, target, callId, loggedAt, principal, idempotencyKey, payload, sender, sequence,
                answerTopic, outcome, key, senderPartition);
    }

    /**
     * @return this call or reply as sent by the task of that partition of a keyed sender's log
     */
    public Envelope withSenderPartition(int partition) {
        return new Envelope(kind, target, callId, loggedAt, principal, idempotencyKey, payload, sender, sequence, replyTo,
                outcome, key, partition);
    }

    /**
     * @return who sent a call or reply, as its receiver keeps its watermark: the sender's name, and for a keyed sender
     *         {@code /<partition>}, whose task numbers its outputs on its own
     */
    public String senderId() {
        return senderPartition < 0 ? sender : sender + "/" + senderPartition;
    }

    /**
     * @return the partition of the sender's log a reply to this call goes to
     */
    public int replyPartition() {
        return Math.max(0, senderPartition);
    }

    /**
     * @return the record to write to that partition of a log topic ({@code -1}: the partition the producer picks for
     *         its key, which is the key's partition)
     */
    public ProducerRecord<byte[], byte[]> toProducerRecord(String topic, int partition) {
        RecordHeaders headers = new RecordHeaders();
        // an outcome query exists for keyed immortals only
        boolean keyed = key != null || senderPartition >= 0 || kind == Kind.OUTCOME;
        headers.add(HEADER_VERSION, keyed ? VERSION_3_BYTES : VERSION_BYTES);
        headers.add(HEADER_KIND, kind.wireBytes());
        headers.add(HEADER_TARGET, target.getBytes(UTF_8));
        headers.add(HEADER_CALL_ID, callId.getBytes(UTF_8));
        headers.add(HEADER_LOGGED_AT, Long.toString(loggedAt).getBytes(UTF_8));
        if (principal != null) {
            headers.add(HEADER_PRINCIPAL, principal.getBytes(UTF_8));
        }
        if (idempotencyKey != null) {
            headers.add(HEADER_IDEMPOTENCY_KEY, idempotencyKey.getBytes(UTF_8));
        }
        if (sender != null) {
            headers.add(HEADER_SENDER, sender.getBytes(UTF_8));
        }
        if (sequence >= 0) {
            headers.add(HEADER_SEQUENCE, Long.toString(sequence).getBytes(UTF_8));
        }
        if (replyTo != null) {
            headers.add(HEADER_REPLY_TO, replyTo.getBytes(UTF_8));
        }
        if (outcome != null) {
            headers.add(HEADER_OUTCOME, outcome.getBytes(UTF_8));
        }
        if (senderPartition >= 0) {
            headers.add(HEADER_SENDER_PARTITION, Integer.toString(senderPartition).getBytes(UTF_8));
        }
        return new ProducerRecord<>(topic, partition < 0 ? null : partition, loggedAt,
                key == null ? null : key.getBytes(UTF_8), payload, headers);
    }

    /**
     * Decodes a log record.
     *
     * @throws InvalidEnvelopeException naming what is wrong, for a record this version cannot process
     */
    public static Envelope from(ConsumerRecord<byte[], byte[]> record) {
        String version = null;
        byte[] kindBytes = null;
        String target = null;
        String callId = null;
        byte[] loggedAt = null;
        String principal = null;
        String idempotencyKey = null;
        String sender = null;
        byte[] sequence = null;
        String replyTo = null;
        String outcome = null;
        byte[] senderPartition = null;
        for (Header header : record.headers()) {
            byte[] value = header.value();
            switch (header.key()) {
                case HEADER_VERSION -> version = oneOf(value, VERSIONS, VERSIONS_BYTES);
                case HEADER_KIND -> kindBytes = value;
                case HEADER_TARGET -> target = string(value);
                case HEADER_CALL_ID -> callId = string(value);
                case HEADER_LOGGED_AT -> loggedAt = value;
                case HEADER_PRINCIPAL -> principal = string(value);
                case HEADER_IDEMPOTENCY_KEY -> idempotencyKey = string(value);
                case HEADER_SENDER -> sender = string(value);
                case HEADER_SEQUENCE -> sequence = value;
                case HEADER_REPLY_TO -> replyTo = string(value);
                case HEADER_OUTCOME -> outcome = oneOf(value, OUTCOMES, OUTCOMES_BYTES);
                case HEADER_SENDER_PARTITION -> senderPartition = value;
                default -> {
                    // unknown headers are allowed: writers may add tracing and other metadata
                }
            }
        }
        if (version == null) {
            throw new InvalidEnvelopeException("missing header '" + HEADER_VERSION + "'");
        }
        if (!VERSION.equals(version) && !VERSION_1.equals(version) && !VERSION_3.equals(version)) {
            throw new InvalidEnvelopeException("unsupported " + HEADER_VERSION + " '" + version + "' (this version reads '"
                    + VERSION_1 + "', '" + VERSION + "' and '" + VERSION_3 + "')");
        }
        if (kindBytes == null) {
            throw new InvalidEnvelopeException("missing header '" + HEADER_KIND + "'");
        }
        Kind kind = Kind.fromWire(kindBytes);
        if (kind == null || (VERSION_1.equals(version) && !kind.inVersion1())) {
            throw new InvalidEnvelopeException("unsupported kind '" + string(kindBytes) + "'"
                    + (VERSION_1.equals(version) ? " in a version 1 record" : ""));
        }
        if (target == null) {
            throw new InvalidEnvelopeException("missing header '" + HEADER_TARGET + "'");
        }
        if (callId == null) {
            throw new InvalidEnvelopeException("missing header '" + HEADER_CALL_ID + "'");
        }
        if (callId.isEmpty()) {
            throw new InvalidEnvelopeException("header '" + HEADER_CALL_ID + "' is empty");
        }
        long loggedAtMillis = loggedAt == null ? record.timestamp() : number(loggedAt);
        if (loggedAt != null && loggedAtMillis < 0) {
            throw new InvalidEnvelopeException("header '" + HEADER_LOGGED_AT + "' is not a number: '" + string(loggedAt)
                    + "'");
        }
        long sequenceNumber = -1;
        if (kind.sequenced()) {
            if (sender == null) {
                throw new InvalidEnvelopeException("a " + kind + " record needs header '" + HEADER_SENDER + "'");
            }
            if (sender.isEmpty()) {
                throw new InvalidEnvelopeException("header '" + HEADER_SENDER + "' of a " + kind + " record is empty");
            }
            sequenceNumber = sequence == null ? -1 : number(sequence);
            if (sequence != null && sequenceNumber < 0) {
                throw new InvalidEnvelopeException("header '" + HEADER_SEQUENCE + "' is not a number: '"
                        + string(sequence) + "'");
            }
        }
        int fromPartition = -1;
        if (kind.sequenced() && senderPartition != null) {
            long number = number(senderPartition);
            if (number < 0 || number > Integer.MAX_VALUE) {
                throw new InvalidEnvelopeException("header '" + HEADER_SENDER_PARTITION + "' is not a partition number: '"
                        + string(senderPartition) + "'");
            }
            fromPartition = (int) number;
        }
        if (kind == Kind.REPLY && outcome == null) {
            throw new InvalidEnvelopeException("a reply record needs header '" + HEADER_OUTCOME + "' ('" + OUTCOME_OK
                    + "' or '" + OUTCOME_FAILED + "')");
        }
        if (kind == Kind.REPLY && !OUTCOME_OK.equals(outcome) && !OUTCOME_FAILED.equals(outcome)) {
            throw new InvalidEnvelopeException("header '" + HEADER_OUTCOME + "' of a reply must be '" + OUTCOME_OK
                    + "' or '" + OUTCOME_FAILED + "', not '" + outcome + "'");
        }
        if (kind == Kind.OUTCOME && (idempotencyKey == null || idempotencyKey.isEmpty())) {
            throw new InvalidEnvelopeException("an outcome record needs header '" + HEADER_IDEMPOTENCY_KEY + "'");
        }
        if (kind == Kind.OUTCOME && (replyTo == null || replyTo.isEmpty())) {
            throw new InvalidEnvelopeException("an outcome record needs header '" + HEADER_REPLY_TO + "'");
        }
        byte[] payload = record.value() == null ? new byte[0] : record.value();
        return new Envelope(kind, target, callId, loggedAtMillis, principal, idempotencyKey, payload, sender,
                sequenceNumber, replyTo, outcome, record.key() == null ? null : string(record.key()), fromPartition);
    }

    private static String string(byte[] value) {
        return value == null ? null : new String(value, UTF_8);
    }

    /**
     * @return the known value these bytes spell, or a new string of them
     */
    private static String oneOf(byte[] value, String[] known, byte[][] knownBytes) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < knownBytes.length; i++) {
            if (Arrays.equals(value, knownBytes[i])) {
                return known[i];
            }
        }
        return new String(value, UTF_8);
    }

    /**
     * @return the non-negative decimal number these ASCII digits spell, or -1 if they spell none (or too large one)
     */
    private static long number(byte[] value) {
        if (value == null || value.length == 0 || value.length > 18) {
            return -1;
        }
        long number = 0;
        for (byte digit : value) {
            if (digit < '0' || digit > '9') {
                return -1;
            }
            number = number * 10 + (digit - '0');
        }
        return number;
    }

    private static byte[][] bytes(String[] values) {
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i].getBytes(UTF_8);
        }
        return bytes;
    }

    /**
     * A record that cannot be decoded. Rejected deterministically: the same record is rejected on every replay.
     */
    public static final class InvalidEnvelopeException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public InvalidEnvelopeException(String message) {
            super(message, null, false, false);
        }
    }
}
