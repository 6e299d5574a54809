package io.quarkiverse.ambrosia.runtime.internal.task;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.answer.Answers;
import io.quarkiverse.ambrosia.runtime.internal.answer.Outcomes;
import io.quarkiverse.ambrosia.runtime.internal.calls.CallSender;
import io.quarkiverse.ambrosia.runtime.internal.calls.IncomingCalls;
import io.quarkiverse.ambrosia.runtime.internal.calls.ReplyApplier;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.SystemStateCodec;
import io.quarkiverse.ambrosia.runtime.internal.commit.Output;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.Admission;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerContext;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerInvoker;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.RecordExecutor;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.RecordProcessor;
import io.quarkiverse.ambrosia.runtime.internal.kafka.TopicNames;
import io.quarkiverse.ambrosia.runtime.internal.log.PendingCalls;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.model.HandlerDefinition;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalDefinition;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalType;
import io.quarkiverse.ambrosia.runtime.internal.spi.CallScope;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.smallrye.mutiny.Uni;

/**
 * The engine of a partition task, without Kafka: the same log records reach the same state, the same outcome table
 * and the same outputs, whether run from the start twice, or from a checkpoint taken midway. Covers impulses with and
 * without keys, a retry, a failing handler, records that are rejected, a call from another immortal and its duplicate,
 * a call to another immortal and its reply, and a stray timeout; and queries for an outcome from other instances.
 */
class PartitionTaskReplayTest {

    private static final long T = 1764115200000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final CallScope NO_SCOPE = (principal, handler) -> handler.call();

    /** The immortal's state: what its handlers change. */
    static final class Ledger {
        long total;
        final List<String> entries = new ArrayList<>();
    }

    /** One task on its own: an engine, its bean, and what it wrote. */
    static final class Engine {
        final Ledger ledger = new Ledger();
        final TopicNames names = new TopicNames("p.", "Ledger");
        final PartitionTask task = new PartitionTask(0, 8);
        final RecordProcessor processor;

        Engine() {
            this(null);
        }

        /**
         * @param answers where the answers to other instances' records go, or {@code null}
         */
        Engine(Answers answers) {
            CallSender sender = new CallSender(names, Duration.ofSeconds(3));
            Handler deposit = handler("Bank", "deposit", "long", "io.smallrye.mutiny.Uni<java.lang.Long>", null);
            Map<String, Handler> handlers = new LinkedHashMap<>();
            handlers.put("add", handler("Ledger", "add", "long", "long", arguments -> {
                long amount = (Long) arguments[0];
                HandlerContext now = HandlerContext.current();
                ledger.total += amount;
                ledger.entries.add("add " + amount + " at " + now.loggedAt().toEpochMilli() + " luck "
                        + now.random().nextInt(1000));
                return ledger.total;
            }));
            handlers.put("transfer", handler("Ledger", "transfer", "long", "io.smallrye.mutiny.Uni<java.lang.Long>",
                    arguments -> {
                        long amount = (Long) arguments[0];
                        @SuppressWarnings("unchecked")
                        Uni<Long> deposited = (Uni<Long>) sender.call("Bank", deposit, new Object[]{amount});
                        return deposited.map(balance -> {
                            ledger.total -= amount;
                            ledger.entries.add("transferred " + amount + ", bank has " + balance);
                            return ledger.total;
                        });
                    }));
            handlers.put("fail", handler("Ledger", "fail", "long", "long", arguments -> {
                throw new IllegalStateException("refused " + arguments[0]);
            }));
            ImmortalDefinition definition = new ImmortalDefinition();
            definition.setName("Ledger");
            definition.setBeanClass(Ledger.class.getName());
            ImmortalType type = new ImmortalType(definition, Ledger.class, handlers);
            PendingCalls pending = new PendingCalls();
            Outcomes outcomes = new Outcomes(task, names.log());
            HandlerInvoker invoker = new HandlerInvoker("Ledger", task, NO_SCOPE, () -> true);
            RecordExecutor executor = new RecordExecutor(type, null, task, pending, outcomes, invoker,
                    new IncomingCalls(type, names, null, task, invoker, MAPPER),
                    new ReplyApplier(names, null, task, MAPPER, NO_SCOPE, Duration.ofSeconds(3)), Duration.ofHours(1),
                    1000);
            if (answers != null) {
                executor.answering(answers, Duration.ofSeconds(30));
            }
            processor = new RecordProcessor(task, new Admission("p."), executor, new RecordProcessor.Drains() {
                @Override
                public void drainFoundQuiescent() {
                }

                @Override
                public void drainEnded(long waitedNanos) {
                }
            }, Duration.ofMinutes(1));
        }

        Engine run(List<ConsumerRecord<byte[], byte[]>> records) {
            records.forEach(processor::process);
            return this;
        }

        /** What the task sent, but for the wall-clock time outputs are stamped with. */
        List<String> outputs() {
            return task.outbox().take().stream().map(PartitionTaskReplayTest::describe).toList();
        }
    }

    @FunctionalInterface
    interface Body {
        Object run(Object[] arguments) throws Exception;
    }

    private static Handler handler(String immortal, String method, String parameter, String returns, Body body) {
        HandlerDefinition definition = new HandlerDefinition();
        definition.setId(method);
        definition.setSignature(method + "(" + parameter + ")");
        definition.setMethodName(method);
        definition.setParameterTypes(List.of(parameter));
        definition.setParameterNames(List.of("amount"));
        definition.setReturnType(returns);
        return new Handler(immortal, definition, body == null ? null : (instance, arguments) -> body.run(arguments),
                MAPPER, null);
    }

    /** The log: offset i holds the i-th record; {@code null} stands for a record no writer of this format made. */
    private static List<ConsumerRecord<byte[], byte[]>> log() {
        List<Envelope> envelopes = java.util.Arrays.asList(
                Envelope.impulse("Ledger#add", "c0", T, "alice", "k1", json("[5]")),
                Envelope.impulse("Ledger#add", "c1", T + 1, null, null, json("[7]")),
                // a retry of c0 with its key: answered from the outcome table, not run
                Envelope.impulse("Ledger#add", "c2", T + 2, "alice", "k1", json("[5]")),
                null,
                Envelope.impulse("Ledger#transfer", "c4", T + 4, null, null, json("[3]")),
                Envelope.impulse("Ledger#add", "c5", T + 5, null, null, json("[1]")),
                Envelope.call("Ledger#add(long)", "Shop:0", T + 6, null, json("[2]"), "Shop", 0, "p.Shop"),
                // the same call written again by a replay of its sender: dropped
                Envelope.call("Ledger#add(long)", "Shop:0", T + 7, null, json("[2]"), "Shop", 0, "p.Shop"),
                Envelope.reply("Ledger", "Ledger:0", T + 8, json("40"), "Bank", 0),
                Envelope.impulse("Ledger#fail", "c9", T + 9, null, "k2", json("[9]")),
                Envelope.timeout("Ledger", "Ledger:77", T + 10),
                Envelope.impulse("Ledger#nothing", "c11", T + 11, null, null, json("[]")),
                Envelope.impulse("Ledger#add", "c12", T + 12, null, null, json("[\"x\"]")));
        return records(envelopes);
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(List<Envelope> envelopes) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Envelope envelope : envelopes) {
            int offset = records.size();
            ProducerRecord<byte[], byte[]> sent = envelope == null
                    ? new ProducerRecord<>("p.Ledger", 0, T + offset, null, json("junk"), new RecordHeaders())
                    : envelope.toProducerRecord("p.Ledger", 0);
            records.add(new ConsumerRecord<>(sent.topic(), 0, offset, sent.timestamp(), TimestampType.LOG_APPEND_TIME,
                    0, sent.value().length, null, sent.value(), sent.headers(), Optional.empty()));
        }
        return records;
    }

    private static byte[] json(String text) {
        return text.getBytes(UTF_8);
    }

    private static String describe(Output output) {
        Envelope e = output.envelope();
        return output.sequence() + " " + e.kind() + " to " + output.topic() + "-" + output.partition() + " " + e.target()
                + " " + e.callId() + " from " + e.sender() + " reply-to " + e.replyTo() + " " + e.outcome() + " "
                + new String(e.payload(), UTF_8) + " made by " + output.source();
    }

    @Test
    void theSameRecordsTwiceReachTheSameStateOutcomesAndOutputs() {
        Engine first = new Engine().run(log());
        Engine second = new Engine().run(log());

        assertThat(second.task.snapshot()).isEqualTo(first.task.snapshot());
        assertThat(second.ledger.total).isEqualTo(first.ledger.total);
        assertThat(second.ledger.entries).isEqualTo(first.ledger.entries);
        assertThat(second.outputs()).isEqualTo(first.outputs());
    }

    @Test
    void theRecordsDoWhatTheySay() {
        Engine engine = new Engine().run(log());

        // 5 + 7 (the retry of k1 does not run) + 1 + 2 (the duplicate call does not run) - 3 (the transfer, once the
        // bank replied)
        assertThat(engine.ledger.total).isEqualTo(12);
        assertThat(engine.ledger.entries).hasSize(5).last().isEqualTo("transferred 3, bank has 40");
        PartitionTask.Snapshot snapshot = engine.task.snapshot();
        assertThat(snapshot.nextUnprocessed()).isEqualTo(13);
        assertThat(snapshot.appliedThrough()).isEqualTo(10);
        assertThat(snapshot.watermarks()).isEqualTo(Map.of("Shop", 0L, "Bank", 0L));
        assertThat(snapshot.nextSequence()).isEqualTo(2);
        assertThat(snapshot.outcomes()).containsExactly("k1@0=5", "k2@9=!java.lang.IllegalStateException");
        assertThat(snapshot.outstanding()).isZero();
        assertThat(engine.outputs()).containsExactly(
                "0 call to p.Bank-0 Bank#deposit(long) Ledger:0 from Ledger reply-to p.Ledger null [3] made by 4",
                "1 reply to p.Shop-0 Shop Shop:0 from Ledger reply-to null ok 15 made by 6");
    }

    @Test
    void aReplayFromACheckpointReachesTheStateOfTheWholeRun() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> log = log();
        Engine whole = new Engine();
        SystemStateCodec codec = new SystemStateCodec(MAPPER);
        // a checkpoint after offset 3: nothing outstanding there
        whole.run(log.subList(0, 4));
        assertThat(whole.task.quiescent()).isTrue();
        byte[] system = codec.encode(whole.task);
        long checkpointTotal = whole.ledger.total;
        List<String> checkpointEntries = List.copyOf(whole.ledger.entries);
        long position = whole.task.gate().nextUnprocessed();
        whole.run(log.subList(4, log.size()));

        Engine recovered = new Engine();
        recovered.ledger.total = checkpointTotal;
        recovered.ledger.entries.addAll(checkpointEntries);
        recovered.task.restore(codec.decode(system), position);
        recovered.run(log.subList((int) position, log.size()));

        assertThat(recovered.task.snapshot()).isEqualTo(whole.task.snapshot());
        assertThat(recovered.ledger.entries).isEqualTo(whole.ledger.entries);
        assertThat(recovered.outputs()).isEqualTo(whole.outputs());
    }

    @Test
    void outcomeQueriesAreAnsweredInLogOrderAndChangeNothing() {
        long now = System.currentTimeMillis();
        List<String> answered = new ArrayList<>();
        Engine engine = new Engine((topic, immortal, callId, outcome, answer) -> answered.add(topic + " " + immortal + " "
                + callId + " " + outcome + " at " + answer.offset() + " "
                + (answer.result() == null
                        ? answer.errorType() + ": " + answer.errorMessage()
                        : new String(answer.result(), UTF_8))));
        String answers = "p.answers.other";
        engine.run(records(List.of(
                Envelope.impulse("Ledger#add", "c0", now, null, "k1", json("[5]")),
                Envelope.outcomeQuery("Ledger", "q1", now + 1, "k1", answers),
                Envelope.outcomeQuery("Ledger", "q2", now + 2, "k2", answers),
                // waits for the bank's reply
                Envelope.impulse("Ledger#transfer", "c3", now + 3, null, "k3", json("[3]")),
                Envelope.outcomeQuery("Ledger", "q4", now + 4, "k3", answers),
                Envelope.impulse("Ledger#fail", "c5", now + 5, null, "k2", json("[9]")),
                Envelope.outcomeQuery("Ledger", "q6", now + 6, "k2", answers),
                Envelope.reply("Ledger", "Ledger:0", now + 7, json("40"), "Bank", 0),
                Envelope.outcomeQuery("Ledger", "q8", now + 8, "k3", answers))));

        assertThat(answered).containsExactly(
                answers + " Ledger q1 ok at 0 5",
                // asked before k2 was recorded: the answer is as of the query's place in the log
                answers + " Ledger q2 unknown at -1 null: null",
                answers + " Ledger q4 running at -1 null: null",
                answers + " Ledger q6 failed at 5 java.lang.IllegalStateException: refused 9",
                // the transfer completed: the query that found it running is answered now
                answers + " Ledger q4 ok at 3 2",
                answers + " Ledger q8 ok at 3 2");
        // the queries are not kept: the table holds the three impulses' outcomes only, in the order they completed
        assertThat(engine.task.snapshot().outcomes()).containsExactly("k1@0=5",
                "k2@5=!java.lang.IllegalStateException", "k3@3=2");
        assertThat(engine.ledger.total).isEqualTo(2);
    }
}
