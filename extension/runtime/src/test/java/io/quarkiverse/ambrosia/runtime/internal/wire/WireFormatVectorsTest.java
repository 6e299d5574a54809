package io.quarkiverse.ambrosia.runtime.internal.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.dispatch.Admission;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerContext;
import io.quarkiverse.ambrosia.runtime.internal.kafka.KeyRouting;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;

/**
 * The test vectors of docs/wire-format.md (the {@code ```vector} blocks, whose format the section "Test vectors"
 * describes), checked against the codec: a record decodes to the fields a vector expects, or is rejected with exactly
 * its reason; the extension's writer, given those fields, writes exactly the vector's headers and value; the request
 * hash and the seed of {@code Immortals.random()} are as the vectors say.
 */
class WireFormatVectorsTest {

    private static final Path SPEC = Path.of("../../docs/wire-format.md");
    private static final String TOPIC_PREFIX = "ambrosia.";

    // fewer than these means the section was cut, or the parser stopped seeing it
    private static final int MIN_ACCEPTED = 15;
    private static final int MIN_REJECTED = 12;
    private static final int MIN_REQUEST_HASHES = 3;
    private static final int MIN_RANDOM_SEEDS = 3;
    private static final int MIN_PARTITIONS = 6;

    /**
     * The fields a record vector may expect: the envelope's, named as their headers, and a failed reply's. The spec's
     * names, not the codec's constants: a codec that renames a header fails the vectors, not their parsing.
     */
    private static final Set<String> RECORD_FIELDS = Set.of("kind", "target", "call-id", "logged-at", "principal",
            "idempotency-key", "sender", "sequence", "reply-to", "outcome", "key", "sender-partition", "failure-type",
            "failure-message", "exception");
    /** The headers of the spec, each of which some vector checked both ways must have. */
    private static final List<String> HEADERS = List.of("ambrosia-version", "kind", "target", "call-id", "logged-at",
            "principal", "idempotency-key", "sender", "sequence", "reply-to", "outcome", "sender-partition");

    // as Quarkus configures the application's mapper by default (quarkus.jackson.fail-on-unknown-properties=false)
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Admission admission = new Admission(TOPIC_PREFIX);

    @Test
    void theSpecHasVectorsForEveryKindAndHeader() throws IOException {
        List<Vector> vectors = Vector.parse(SPEC);
        List<Vector> records = vectors.stream().filter(v -> v.type.equals("record")).toList();
        List<Vector> accepted = records.stream().filter(v -> v.reject == null).toList();
        List<Vector> written = accepted.stream().filter(v -> v.decodeOnly == null).toList();
        assertThat(accepted).as("accepted record vectors").hasSizeGreaterThanOrEqualTo(MIN_ACCEPTED);
        assertThat(records.size() - accepted.size()).as("rejected record vectors")
                .isGreaterThanOrEqualTo(MIN_REJECTED);
        assertThat(vectors).filteredOn(v -> v.type.equals("request-hash")).as("request hash vectors")
                .hasSizeGreaterThanOrEqualTo(MIN_REQUEST_HASHES);
        assertThat(vectors).filteredOn(v -> v.type.equals("random-seed")).as("random seed vectors")
                .hasSizeGreaterThanOrEqualTo(MIN_RANDOM_SEEDS);
        assertThat(vectors).filteredOn(v -> v.type.equals("partition")).as("partition vectors")
                .hasSizeGreaterThanOrEqualTo(MIN_PARTITIONS);
        assertThat(written).as("a keyed record").anyMatch(v -> v.fields.containsKey("key"));
        assertThat(accepted).as("a version 3 record").anyMatch(v -> v.headers.contains(
                Map.entry("ambrosia-version", "3")));
        assertThat(written.stream().map(v -> v.expect.get("kind")).collect(Collectors.toSet()))
                .as("the kinds of the vectors checked both ways")
                .containsAll(Arrays.stream(Kind.values()).map(Kind::wire).toList());
        assertThat(written.stream().map(v -> v.expect.get("outcome")).collect(Collectors.toSet()))
                .as("the outcomes of the replies checked both ways")
                .contains("ok", "failed");
        assertThat(written.stream().flatMap(v -> v.headers.stream().map(Map.Entry::getKey))
                .collect(Collectors.toSet())).as("the headers of the vectors checked both ways").containsAll(HEADERS);
        assertThat(accepted).as("a version 1 record").anyMatch(v -> v.headers.contains(
                Map.entry("ambrosia-version", "1")));
    }

    @TestFactory
    Stream<DynamicTest> vectors() throws IOException {
        return Vector.parse(SPEC).stream().flatMap(vector -> switch (vector.type) {
            case "record" -> recordTests(vector);
            case "request-hash" -> Stream.of(test(vector, "hashes so", () -> requestHash(vector)));
            case "random-seed" -> Stream.of(test(vector, "seeds so", () -> randomSeed(vector)));
            case "partition" -> Stream.of(test(vector, "routes so", () -> partition(vector)));
            default -> throw new IllegalStateException(vector.type);
        });
    }

    private Stream<DynamicTest> recordTests(Vector vector) {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(test(vector, vector.reject == null ? "decodes" : "is rejected", () -> decode(vector)));
        if (vector.reject == null && vector.decodeOnly == null) {
            tests.add(test(vector, "is written so", () -> encode(vector)));
        }
        if (vector.expect.containsKey("failure-type")) {
            tests.add(test(vector, "carries its failure", () -> failure(vector)));
        }
        return tests.stream();
    }

    private static DynamicTest test(Vector vector, String what, Executable check) {
        return DynamicTest.dynamicTest(vector.name + " " + what, vector.source(), check);
    }

    private void decode(Vector vector) {
        RecordHeaders headers = new RecordHeaders();
        vector.headers.forEach(header -> headers.add(header.getKey(), header.getValue().getBytes(UTF_8)));
        byte[] key = vector.fields.containsKey("key") ? vector.field("key").getBytes(UTF_8) : null;
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(vector.field("topic"), vector.partition(), 0,
                vector.fields.containsKey("timestamp") ? Long.parseLong(vector.field("timestamp")) : -1,
                TimestampType.LOG_APPEND_TIME, key == null ? -1 : key.length,
                vector.value == null ? -1 : vector.value.length, key, vector.value, headers, Optional.empty());
        if (vector.reject != null) {
            Envelope.InvalidEnvelopeException invalid = catchThrowableOfType(() -> Envelope.from(record),
                    Envelope.InvalidEnvelopeException.class);
            String reason = invalid != null ? invalid.getMessage() : admission.refusal(Envelope.from(record));
            assertThat(reason).as("the reason the record is rejected").isEqualTo(vector.reject);
            return;
        }
        assertThatCode(() -> Envelope.from(record)).as("decoding").doesNotThrowAnyException();
        Envelope envelope = Envelope.from(record);
        assertThat(admission.refusal(envelope)).as("admission's refusal").isNull();
        assertThat(fields(envelope)).as("the decoded fields").isEqualTo(vector.envelopeFields());
        assertThat(envelope.payload()).as("the decoded value")
                .isEqualTo(vector.value == null ? new byte[0] : vector.value);
    }

    private void encode(Vector vector) {
        Map<String, String> expect = vector.expect;
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.wire().equals(expect.get("kind")))
                .findFirst().orElseThrow();
        String target = expect.get("target");
        String callId = expect.get("call-id");
        long loggedAt = Long.parseLong(expect.get("logged-at"));
        String principal = expect.get("principal");
        String sender = expect.get("sender");
        long sequence = Long.parseLong(expect.getOrDefault("sequence", "-1"));
        Envelope envelope = switch (kind) {
            case IMPULSE -> Envelope.impulse(target, callId, loggedAt, principal,
                    expect.get("idempotency-key"), vector.value);
            case CALL -> Envelope.call(target, callId, loggedAt, principal, vector.value, sender, sequence,
                    expect.get("reply-to"));
            case REPLY -> "ok".equals(expect.get("outcome"))
                    ? Envelope.reply(target, callId, loggedAt, vector.value, sender, sequence)
                    : Envelope.failedReply(target, callId, loggedAt, vector.value, sender, sequence);
            case TIMEOUT -> Envelope.timeout(target, callId, loggedAt);
            case DRAIN, RESUME -> Envelope.control(kind, target, callId, loggedAt);
            case OUTCOME -> Envelope.outcomeQuery(target, callId, loggedAt, expect.get("idempotency-key"),
                    expect.get("reply-to"));
        };
        if (expect.containsKey("key")) {
            envelope = envelope.withKey(expect.get("key"));
        }
        if (expect.containsKey("sender-partition")) {
            envelope = envelope.withSenderPartition(Integer.parseInt(expect.get("sender-partition")));
        }
        // what the vector expects is all the factories take
        assertThat(fields(envelope)).as("the fields written").isEqualTo(vector.envelopeFields());

        ProducerRecord<byte[], byte[]> record = envelope.toProducerRecord(vector.field("topic"), vector.partition());
        assertThat(record.topic()).isEqualTo(vector.field("topic"));
        assertThat(record.partition()).isEqualTo(vector.partition());
        assertThat(record.key()).isEqualTo(vector.fields.containsKey("key") ? vector.field("key").getBytes(UTF_8) : null);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(Map.entry(header.key(), new String(header.value(), UTF_8)));
        }
        assertThat(headers).as("the headers written, in order").containsExactlyElementsOf(vector.headers);
        assertThat(record.value()).as("the value written").isEqualTo(vector.value);
    }

    private void failure(Vector vector) throws IOException {
        StoredFailures.Reply reply = MAPPER.readValue(vector.value, StoredFailures.Reply.class);
        assertThat(reply.type()).isEqualTo(vector.expect.get("failure-type"));
        assertThat(reply.message()).isEqualTo(vector.expect.get("failure-message"));
        Exception exception = StoredFailures.fromReply(MAPPER, vector.value);
        assertThat(exception.getClass().getName() + ": " + exception.getMessage()).as("the exception a caller gets")
                .isEqualTo(vector.expect.get("exception"));
        if (exception.getClass().getName().equals(reply.type())) {
            // the exception this implementation rebuilt is written back as the same value
            assertThat(new String(StoredFailures.toReply(MAPPER, exception), UTF_8)).as("the failure written")
                    .isEqualTo(new String(vector.value, UTF_8));
        }
    }

    private static void requestHash(Vector vector) {
        assertThat(Envelope.requestHash(vector.field("target"), vector.value))
                .isEqualTo(vector.expect.get("request-hash"));
    }

    private static void randomSeed(Vector vector) {
        long seed = HandlerContext.seed(vector.field("call-id"), Long.parseLong(vector.field("offset")));
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, String> actual = new TreeMap<>();
        actual.put("seed", Long.toString(seed));
        actual.put("seed-hex", HexFormat.of().toHexDigits(seed));
        actual.put("next-long", Long.toString(random.nextLong()));
        actual.put("next-long-2", Long.toString(random.nextLong()));
        assertThat(actual).isEqualTo(new TreeMap<>(vector.expect));
    }

    private static void partition(Vector vector) {
        String key = vector.field("key");
        int partitions = Integer.parseInt(vector.field("partitions"));
        int expected = Integer.parseInt(vector.expect.get("partition"));
        assertThat(Integer.toString(Utils.murmur2(key.getBytes(UTF_8)))).as("murmur2").isEqualTo(vector.expect.get("murmur2"));
        assertThat(KeyRouting.partition(key, partitions)).as("the partition of '%s'", key).isEqualTo(expected);
        // where Kafka's own producer puts a record with that key
        assertThat(BuiltInPartitioner.partitionForKey(key.getBytes(UTF_8), partitions)).as("Kafka's producer")
                .isEqualTo(expected);
    }

    /**
     * @return the envelope's fields as the vectors name them, leaving out the absent ones
     */
    private static Map<String, String> fields(Envelope envelope) {
        Map<String, String> fields = new TreeMap<>();
        fields.put("kind", envelope.kind().wire());
        fields.put("target", envelope.target());
        fields.put("call-id", envelope.callId());
        fields.put("logged-at", Long.toString(envelope.loggedAt()));
        fields.put("principal", envelope.principal());
        fields.put("idempotency-key", envelope.idempotencyKey());
        fields.put("sender", envelope.sender());
        fields.put("sequence", envelope.sequence() < 0 ? null : Long.toString(envelope.sequence()));
        fields.put("reply-to", envelope.replyTo());
        fields.put("outcome", envelope.outcome());
        fields.put("key", envelope.key());
        fields.put("sender-partition", envelope.senderPartition() < 0 ? null : Integer.toString(envelope.senderPartition()));
        fields.values().removeIf(value -> value == null);
        return fields;
    }

    /**
     * One {@code ```vector} block of the spec.
     */
    static final class Vector {

        private static final Pattern FIELD = Pattern.compile(
                "(name|type|topic|partition|key|partitions|timestamp|target|call-id|offset|decode-only): (.+)");
        private static final Pattern HEADER = Pattern.compile("header (\\S+) =(?: (.*))?");
        private static final Pattern VALUE = Pattern.compile("(value-utf8|value-hex):(?: (.*))?");
        private static final Pattern EXPECT = Pattern.compile("expect (\\S+) = (.+)");
        private static final Pattern REJECT = Pattern.compile("reject = (.+)");
        private static final Map<String, Set<String>> REQUIRED = Map.of(
                "record", Set.of("topic"),
                "request-hash", Set.of("target"),
                "random-seed", Set.of("call-id", "offset"),
                "partition", Set.of("key", "partitions"));
        private static final Map<String, Set<String>> EXPECTED = Map.of(
                "record", RECORD_FIELDS,
                "request-hash", Set.of("request-hash"),
                "random-seed", Set.of("seed", "seed-hex", "next-long", "next-long-2"),
                "partition", Set.of("murmur2", "partition"));

        final int line;
        final Map<String, String> fields = new LinkedHashMap<>();
        final List<Map.Entry<String, String>> headers = new ArrayList<>();
        final Map<String, String> expect = new LinkedHashMap<>();
        String name;
        String type;
        boolean hasValue;
        byte[] value;
        String reject;
        String decodeOnly;

        private Vector(int line) {
            this.line = line;
        }

        String field(String field) {
            return fields.get(field);
        }

        /** @return the partition the record is in (0 unless the vector says) */
        int partition() {
            return fields.containsKey("partition") ? Integer.parseInt(fields.get("partition")) : 0;
        }

        URI source() {
            return URI.create(SPEC.toAbsolutePath().normalize().toUri() + "?line=" + line);
        }

        /**
         * @return the expected fields of the envelope itself, without a failed reply's
         */
        Map<String, String> envelopeFields() {
            Map<String, String> fields = new TreeMap<>(expect);
            fields.keySet().removeAll(Set.of("failure-type", "failure-message", "exception"));
            return fields;
        }

        static List<Vector> parse(Path spec) throws IOException {
            List<String> lines = Files.readAllLines(spec, UTF_8);
            List<Vector> vectors = new ArrayList<>();
            Vector vector = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int number = i + 1;
                if (vector == null) {
                    if (line.equals("```vector")) {
                        vector = new Vector(number);
                    }
                } else if (line.equals("```")) {
                    vector.check();
                    vectors.add(vector);
                    vector = null;
                } else {
                    vector.read(line, number);
                }
            }
            if (vector != null) {
                throw new IllegalStateException(spec + ":" + vector.line + ": the vector block is not closed");
            }
            Set<String> names = new TreeSet<>();
            for (Vector v : vectors) {
                if (!names.add(v.name)) {
                    throw new IllegalStateException(spec + ":" + v.line + ": another vector is named " + v.name);
                }
            }
            return vectors;
        }

        private void read(String line, int number) {
            Matcher m;
            if (line.isBlank() || line.startsWith("#")) {
                return;
            }
            if ((m = FIELD.matcher(line)).matches()) {
                if (fields.put(m.group(1), m.group(2)) != null) {
                    throw error(number, "'" + m.group(1) + "' is given twice");
                }
            } else if ((m = HEADER.matcher(line)).matches()) {
                headers.add(Map.entry(m.group(1), m.group(2) == null ? "" : m.group(2)));
            } else if (line.equals("value-null")) {
                value(number, null);
            } else if ((m = VALUE.matcher(line)).matches()) {
                String text = m.group(2) == null ? "" : m.group(2);
                value(number, m.group(1).equals("value-utf8")
                        ? text.getBytes(UTF_8)
                        : HexFormat.of().parseHex(text.replace(" ", "")));
            } else if ((m = EXPECT.matcher(line)).matches()) {
                if (expect.put(m.group(1), m.group(2)) != null) {
                    throw error(number, "field '" + m.group(1) + "' is expected twice");
                }
            } else if ((m = REJECT.matcher(line)).matches()) {
                if (reject != null) {
                    throw error(number, "the reason is given twice");
                }
                reject = m.group(1);
            } else {
                throw error(number, "not a vector line: " + line);
            }
        }

        private void value(int number, byte[] bytes) {
            if (hasValue) {
                throw error(number, "the value is given twice");
            }
            hasValue = true;
            value = bytes;
        }

        private void check() {
            name = fields.remove("name");
            type = fields.remove("type");
            decodeOnly = fields.remove("decode-only");
            if (name == null || type == null || !REQUIRED.containsKey(type)) {
                throw error(line, "a vector needs a name and a type (record, request-hash, random-seed or partition)");
            }
            boolean valued = !type.equals("random-seed") && !type.equals("partition");
            if (!fields.keySet().containsAll(REQUIRED.get(type)) || !hasValue && valued) {
                throw error(line, "a " + type + " vector needs " + REQUIRED.get(type) + (valued ? " and a value" : ""));
            }
            if (type.equals("request-hash") && value == null) {
                throw error(line, "a request is hashed with a value, if an empty one");
            }
            if (!EXPECTED.get(type).containsAll(expect.keySet())) {
                throw error(line, "a " + type + " vector may expect only " + EXPECTED.get(type));
            }
            if (type.equals("record") ? (reject == null) == expect.isEmpty() : reject != null || expect.isEmpty()) {
                throw error(line, "a record vector expects fields or a rejection, another vector fields");
            }
            if (type.equals("record") && reject == null && !expect.keySet().containsAll(List.of(
                    "kind", "target", "call-id", "logged-at"))) {
                throw error(line, "an accepted record has a kind, target, call-id and logged-at");
            }
        }

        private IllegalStateException error(int number, String message) {
            return new IllegalStateException(SPEC + ":" + number + ": " + message);
        }
    }
}
