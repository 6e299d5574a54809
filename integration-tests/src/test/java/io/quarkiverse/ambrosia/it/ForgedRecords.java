package io.quarkiverse.ambrosia.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Records another program could write into an immortal's log: undecodable, forged, and valid but foreign, drawn at
 * random from a seed. Accounts they touch are named {@code f-*}, so the test's own accounts keep a known balance.
 */
final class ForgedRecords {

    private static final String DEPOSIT_SIGNATURE = "deposit(java.lang.String,long)";
    private static final List<String> BAD_PAYLOADS = List.of("not json", "[", "[]", "[\"f-1\"]", "[\"f-1\",1,2]",
            "[null,5]", "[\"f-1\",\"abc\"]", "[\"f-1\",1.5]", "{\"a\":1}", "[\"f-1\",99999999999999999999999]",
            "[[1],[2]]", "", "[\"f-1\",null]", "\u0000\u0001", "[\"f-1\",5]   trailing");
    private static final List<String> TIMES = List.of("99999999999999", "abc", "-1", "0", "", "1", "18446744073709551616");

    private final Random random;
    private final String topic;
    private final String prefix;
    private final String immortal;
    private int serial;

    ForgedRecords(long seed, String prefix, String immortal) {
        this.random = new Random(seed);
        this.prefix = prefix;
        this.immortal = immortal;
        this.topic = prefix + immortal;
    }

    ProducerRecord<byte[], byte[]> next() {
        serial++;
        Headers headers = new Headers();
        String value = "[\"f-" + random.nextInt(10) + "\"," + (random.nextInt(60) - 10) + "]";
        switch (random.nextInt(16)) {
            case 0 -> value = randomText();
            case 1 -> headers.add("ambrosia-version", pick("3", "", "x", "02", "2 ")).add("kind", "impulse")
                    .add("target", deposit()).add("call-id", callId());
            case 2 -> headers.version().add("kind", pick("impulses", "", "CALL", "marker", randomText()))
                    .add("target", deposit()).add("call-id", callId());
            case 3 -> headers.version().add("kind", "impulse")
                    .add("target", pick(immortal + "#steal", "Other#deposit", immortal, "#", "", immortal + "#"))
                    .add("call-id", callId());
            case 4 -> {
                headers.impulse(deposit(), callId());
                value = pick(BAD_PAYLOADS);
            }
            case 5 -> headers.impulse(pick(deposit(), immortal + "#withdraw"), callId());
            case 6 -> headers.version().add("kind", "impulse").add("target", deposit()).add("call-id", callId())
                    .add("logged-at", pick(TIMES)).add("idempotency-key", "f-key-" + random.nextInt(20));
            case 7 -> {
                headers.impulse(deposit(), callId()).add("idempotency-key", "f-key-" + random.nextInt(20));
                if (random.nextBoolean()) {
                    value = pick(BAD_PAYLOADS);
                }
            }
            case 8 -> {
                headers.version().add("kind", "call").add("target", immortal + "#" + DEPOSIT_SIGNATURE)
                        .add("call-id", "Forger:" + serial).add("logged-at", now());
                maybe(headers, "sender", pick("Forger", "", immortal, "Tally", randomText()));
                maybe(headers, "sequence", pick(Integer.toString(serial), "abc", "-1", "", "99999999999999999999",
                        Integer.toString(random.nextInt(5))));
                maybe(headers, "reply-to", pick(prefix + "Ghost" + random.nextInt(3), "bad name!", "", topic,
                        prefix + "Tally", "__consumer_offsets", "__transaction_state", "x".repeat(300),
                        "other." + immortal));
                if (random.nextInt(4) == 0) {
                    value = pick(BAD_PAYLOADS);
                }
            }
            case 9 -> {
                headers.version().add("kind", "reply").add("target", immortal)
                        .add("call-id", pick(immortal + ":" + random.nextInt(5), callId(), ""))
                        .add("logged-at", pick(TIMES.get(0), now()));
                maybe(headers, "sender", pick("Forger", "Tally", immortal));
                maybe(headers, "sequence", pick(Integer.toString(serial), "abc", "-1"));
                maybe(headers, "outcome", pick("ok", "failed", "maybe", ""));
                value = pick("70", "{\"type\":\"java.lang.IllegalStateException\",\"message\":\"forged\"}",
                        "{\"type\":\"java.lang.Runtime\"}", randomText());
            }
            case 10 -> headers.version().add("kind", "timeout").add("target", immortal)
                    .add("call-id", pick(immortal + ":" + random.nextInt(5), callId())).add("logged-at", now());
            case 11 -> headers.version().add("kind", pick("drain", "resume")).add("target", immortal)
                    .add("call-id", callId()).add("logged-at", now());
            case 12 -> headers.version().add("kind", "impulse").add("kind", "call").add("target", deposit())
                    .add("target", "Other#x").add("call-id", callId());
            case 13 -> headers.add("ambrosia-version", "1").add("kind", pick("call", "reply", "drain"))
                    .add("target", immortal + "#" + DEPOSIT_SIGNATURE).add("call-id", callId())
                    .add("sender", "Forger").add("sequence", Integer.toString(serial));
            case 14 -> headers.impulse(deposit(), callId()).add("principal", randomText()).add("traceparent", "00-x")
                    .add("x-unknown-" + random.nextInt(3), randomText());
            default -> {
                headers.version().add("kind", "impulse");
                headers.headers.add("target", random.nextBoolean() ? null : deposit().getBytes(UTF_8));
                headers.headers.add("call-id", random.nextBoolean() ? null : callId().getBytes(UTF_8));
            }
        }
        byte[] key = random.nextInt(8) == 0 ? randomText().getBytes(UTF_8) : null;
        byte[] bytes = random.nextInt(20) == 0 ? null : value.getBytes(UTF_8);
        return new ProducerRecord<>(topic, 0, key, bytes, headers.headers);
    }

    private String deposit() {
        return immortal + "#deposit";
    }

    private String callId() {
        return random.nextInt(10) == 0 ? "" : new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static String now() {
        return Long.toString(System.currentTimeMillis());
    }

    private void maybe(Headers headers, String key, String value) {
        if (random.nextInt(5) != 0) {
            headers.add(key, value);
        }
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String randomText() {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextInt(10) == 0 ? random.nextInt(0x3000) : 0x20 + random.nextInt(0x5f)));
        }
        return text.toString();
    }

    private static final class Headers {
        final RecordHeaders headers = new RecordHeaders();

        Headers add(String key, String value) {
            headers.add(key, value.getBytes(UTF_8));
            return this;
        }

        Headers version() {
            return add("ambrosia-version", "2");
        }

        Headers impulse(String target, String callId) {
            return version().add("kind", "impulse").add("target", target).add("call-id", callId).add("logged-at", now());
        }
    }
}
