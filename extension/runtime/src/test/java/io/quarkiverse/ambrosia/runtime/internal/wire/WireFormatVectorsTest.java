package io.quarkiverse.ambrosia.runtime.internal.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.dispatch.Admission;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerContext;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;

/**
 * The codec against every test vector of docs/wire-format.md ("Test vectors"): each record decodes to what the
 * vector expects, or is rejected or refused for the reason it gives; records this version writes are written exactly
 * so; request hashes and random seeds are as the spec says.
 */
class WireFormatVectorsTest {

    private static final Path SPEC = Path.of("../../docs/wire-format.md");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One fenced block of the section: its type and its lines. */
    record Block(String type, List<String> lines) {

        String name() {
            return one("name").orElse(type + " " + lines);
        }

        Optional<String> one(String item) {
            return lines.stream().filter(l -> l.startsWith(item + ": ") || l.equals(item + ":"))
                    .map(l -> l.length() > item.length() + 2 ? l.substring(item.length() + 2) : "").findFirst();
        }

        /** @return the {@code <prefix> <name>: <value>} items, in order */
        Map<String, String> pairs(String prefix) {
            Map<String, String> pairs = new LinkedHashMap<>();
            for (String line : lines) {
                if (line.startsWith(prefix + " ")) {
                    int colon = line.indexOf(':');
                    String value = line.substring(colon + 1);
                    pairs.put(line.substring(prefix.length() + 1, colon), value.isEmpty() ? "" : value.substring(1));
                }
            }
            return pairs;
        }

        List<String[]> headers() {
            List<String[]> headers = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith("header ")) {
                    int colon = line.indexOf(':');
                    String value = line.substring(colon + 1);
                    headers.add(new String[]{line.substring(7, colon), value.isEmpty() ? "" : value.substring(1)});
                }
            }
            return headers;
        }
    }

    static List<Block> blocks(String type) throws IOException {
        List<String> lines = Files.readAllLines(SPEC, UTF_8);
        int section = lines.indexOf("## Test vectors");
        assertThat(section).as("docs/wire-format.md has a section '## Test vectors'").isPositive();
        List<Block> blocks = new ArrayList<>();
        for (int i = section; i < lines.size() && !(i > section && lines.get(i).startsWith("## ")); i++) {
            if (lines.get(i).equals("```" + type)) {
                List<String> body = new ArrayList<>();
                for (i++; !lines.get(i).equals("```"); i++) {
                    body.add(lines.get(i));
                }
                blocks.add(new Block(type, body));
            }
        }
        return blocks;
    }

    @Test
    void theSpecHasVectorsForEveryKindAndEveryRejection() throws IOException {
        List<Block> vectors = blocks("vector");
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(29);
        EnumSet<Kind> covered = EnumSet.noneOf(Kind.class);
        for (Block vector : vectors) {
            if (vector.one("rejected").isEmpty() && vector.one("refused").isEmpty()) {
                covered.add(Kind.fromWire(vector.pairs("header").get("kind").getBytes(UTF_8)));
            }
        }
        assertThat(covered).as("kinds with a vector that decodes").containsExactlyInAnyOrder(Kind.values());
        assertThat(vectors.stream().filter(v -> v.one("rejected").isPresent())).hasSizeGreaterThanOrEqualTo(13);
        assertThat(vectors.stream().filter(v -> v.one("refused").isPresent())).hasSizeGreaterThanOrEqualTo(4);
        assertThat(blocks("hash")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(blocks("seed")).hasSizeGreaterThanOrEqualTo(3);
    }

    @TestFactory
    Stream<DynamicTest> records() throws IOException {
        return blocks("vector").stream().map(vector -> DynamicTest.dynamicTest(vector.name(), () -> check(vector)));
    }

    private static void check(Block vector) {
        ConsumerRecord<byte[], byte[]> record = record(vector);
        Optional<String> rejected = vector.one("rejected");
        if (rejected.isPresent()) {
            assertThatThrownBy(() -> Envelope.from(record)).isInstanceOf(Envelope.InvalidEnvelopeException.class)
                    .hasMessage(rejected.get());
            return;
        }
        Envelope envelope = Envelope.from(record);
        assertThat(new Admission("ambrosia.").refusal(envelope)).isEqualTo(vector.one("refused").orElse(null));
        vector.pairs("expect").forEach((field, expected) -> assertThat(field(envelope, field)).as(field)
                .isEqualTo(expected));
        if (vector.one("written").isPresent()) {
            ProducerRecord<byte[], byte[]> written = envelope.toProducerRecord("ambrosia.Any", 0);
            List<String> headers = new ArrayList<>();
            for (Header header : written.headers()) {
                headers.add(header.key() + ": " + new String(header.value(), UTF_8));
            }
            assertThat(headers).isEqualTo(vector.headers().stream().map(h -> h[0] + ": " + h[1]).toList());
            assertThat(new String(written.value(), UTF_8)).isEqualTo(vector.one("value").orElseThrow());
            assertThat(written.timestamp()).isEqualTo(envelope.loggedAt());
        }
    }

    private static ConsumerRecord<byte[], byte[]> record(Block vector) {
        RecordHeaders headers = new RecordHeaders();
        for (String[] header : vector.headers()) {
            headers.add(header[0], header[1].getBytes(UTF_8));
        }
        byte[] value = vector.one("value").orElseThrow().getBytes(UTF_8);
        long timestamp = Long.parseLong(vector.one("timestamp")
                .orElse(vector.pairs("header").getOrDefault("logged-at", "0").matches("\\d+")
                        ? vector.pairs("header").get("logged-at")
                        : "0"));
        return new ConsumerRecord<>("ambrosia.Any", 0, 42, timestamp, TimestampType.LOG_APPEND_TIME, 0, value.length,
                null, value, headers, Optional.empty());
    }

    private static String field(Envelope envelope, String field) {
        String value = switch (field) {
            case "kind" -> envelope.kind().wire();
            case "target" -> envelope.target();
            case "call-id" -> envelope.callId();
            case "logged-at" -> Long.toString(envelope.loggedAt());
            case "principal" -> envelope.principal();
            case "idempotency-key" -> envelope.idempotencyKey();
            case "sender" -> envelope.sender();
            case "sequence" -> Long.toString(envelope.sequence());
            case "reply-to" -> envelope.replyTo();
            case "outcome" -> envelope.outcome();
            case "failure" -> {
                Exception failure = StoredFailures.fromReply(MAPPER, envelope.payload());
                yield failure.getClass().getName() + ": " + failure.getMessage();
            }
            default -> throw new AssertionError("the spec expects an unknown field '" + field + "'");
        };
        return value == null ? "" : value;
    }

    @TestFactory
    Stream<DynamicTest> requestHashes() throws IOException {
        return blocks("hash").stream().map(hash -> DynamicTest.dynamicTest(hash.one("target").orElseThrow(),
                () -> assertThat(Envelope.requestHash(hash.one("target").orElseThrow(),
                        hash.one("value").orElseThrow().getBytes(UTF_8))).isEqualTo(hash.one("hash").orElseThrow())));
    }

    @TestFactory
    Stream<DynamicTest> randomSeeds() throws IOException {
        return blocks("seed").stream().map(seed -> DynamicTest.dynamicTest(
                seed.one("call-id").orElseThrow() + " @" + seed.one("offset").orElseThrow(), () -> {
                    long expected = Long.parseLong(seed.one("seed").orElseThrow());
                    assertThat(HandlerContext.seed(seed.one("call-id").orElseThrow(),
                            Long.parseLong(seed.one("offset").orElseThrow()))).isEqualTo(expected);
                    assertThat(new SplittableRandom(expected).nextLong())
                            .isEqualTo(Long.parseLong(seed.one("first-long").orElseThrow()));
                }));
    }
}
