package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.ambrosia.runtime.internal.dispatch.AdmissionGate.Decision;
import io.quarkiverse.ambrosia.runtime.internal.wire.Kind;

/**
 * The admission decisions as input → expected output vectors: each step feeds the gate one record (its offset and
 * kind, how many calls are outstanding, whether the task is quiescent after it) and states the decision and the
 * position after it. Back-pressure at 2 outstanding calls.
 */
class AdmissionGateTest {

    private static final int MAX_OUTSTANDING = 2;

    /**
     * One step: {@code offset kind outstanding quiescent -> decision next=N applied=N [deferring] [draining]},
     * or a command: {@code rewind? outstanding} (expects whether a rewind is due, and takes it), {@code drain?}/{@code resume?}
     * (whether a drain or resume record is to be written), {@code ends} (a record from an immortal was applied and
     * left the task quiescent: the drain ends).
     */
    static Stream<Vector> vectors() {
        return Stream.of(
                new Vector("impulses run in log order",
                        "0 impulse 0 q -> RUN next=1 applied=-1",
                        "1 impulse 0 q -> RUN next=2 applied=-1"),
                new Vector("records from immortals are applied as they arrive",
                        "0 call 0 q -> APPLY next=1 applied=0",
                        "1 reply 0 q -> APPLY next=2 applied=1",
                        "2 timeout 0 q -> APPLY next=3 applied=2"),
                new Vector("back-pressure: impulses wait while too many calls are outstanding, replies do not",
                        "0 impulse 2 - -> DEFER next=0 applied=-1 deferring",
                        "1 impulse 2 - -> SKIP next=0 applied=-1 deferring",
                        "2 reply 2 - -> APPLY next=0 applied=2 deferring",
                        "rewind? 2 no",
                        "3 reply 1 - -> APPLY next=0 applied=3 deferring",
                        "rewind? 1 yes",
                        // read again from offset 0: the impulses run, the replies are not applied twice
                        "0 impulse 1 - -> RUN next=1 applied=3",
                        "1 impulse 1 - -> RUN next=2 applied=3",
                        "2 reply 1 - -> APPLIED_BEFORE next=3 applied=3",
                        "3 reply 1 - -> APPLIED_BEFORE next=4 applied=3",
                        "4 impulse 1 - -> RUN next=5 applied=3"),
                new Vector("a drain with no call outstanding checkpoints at once",
                        "drain? yes",
                        "drain? no",
                        "0 drain 0 q -> DRAIN_NOW next=1 applied=-1",
                        "drain? yes"),
                new Vector("a drain with calls outstanding makes impulses wait until the replies are in",
                        "drain? yes",
                        "0 drain 1 - -> DRAIN_BEGIN next=1 applied=-1 draining",
                        "drain? no",
                        "1 impulse 1 - -> DEFER next=1 applied=-1 deferring draining",
                        "2 call 1 - -> APPLY next=1 applied=2 deferring draining",
                        "3 reply 0 q -> APPLY next=1 applied=3 deferring draining",
                        "rewind? 0 no",
                        "ends",
                        "rewind? 0 yes",
                        "1 impulse 0 q -> RUN next=2 applied=3",
                        "2 call 0 q -> APPLIED_BEFORE next=3 applied=3"),
                new Vector("a resume gives up the drain: impulses run again",
                        "drain? yes",
                        "0 drain 1 - -> DRAIN_BEGIN next=1 applied=-1 draining",
                        "resume? yes",
                        "resume? no",
                        "1 impulse 1 - -> DEFER next=1 applied=-1 deferring draining",
                        "2 resume 1 - -> RESUME next=1 applied=2 deferring",
                        "rewind? 1 yes",
                        "1 impulse 1 - -> RUN next=2 applied=2",
                        "2 resume 1 - -> APPLIED_BEFORE next=3 applied=2"),
                new Vector("a record of no known kind runs in log order (to be rejected there)",
                        "0 ? 0 q -> RUN next=1 applied=-1",
                        "1 impulse 2 - -> DEFER next=1 applied=-1 deferring",
                        "2 ? 2 - -> SKIP next=1 applied=-1 deferring"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decides(Vector vector) {
        long[] now = {0};
        AdmissionGate gate = new AdmissionGate(MAX_OUTSTANDING, () -> now[0]);
        for (String step : vector.steps()) {
            now[0] += 1_000_000_000L;
            String[] words = step.split(" ");
            switch (words[0]) {
                case "rewind?" -> {
                    boolean due = gate.rewindDue(Integer.parseInt(words[1]));
                    assertThat(due).as(step).isEqualTo(words[2].equals("yes"));
                    if (due) {
                        gate.rewound();
                    }
                }
                case "drain?" -> assertThat(gate.requestDrain()).as(step).isEqualTo(words[1].equals("yes"));
                // a drain lasts a second per step: the timeout is half a second
                case "resume?" -> assertThat(gate.requestResume(500_000_000L)).as(step)
                        .isEqualTo(words[1].equals("yes"));
                case "ends" -> assertThat(gate.drainEnds(true)).as(step).isPositive();
                default -> {
                    Decision decision = gate.admit(Long.parseLong(words[0]), kind(words[1]), Integer.parseInt(words[2]),
                            words[3].equals("q"));
                    String actual = decision + " next=" + gate.nextUnprocessed() + " applied=" + gate.appliedThrough()
                            + (gate.deferring() ? " deferring" : "") + (gate.draining() ? " draining" : "");
                    assertThat(actual).as(step).isEqualTo(step.substring(step.indexOf("-> ") + 3));
                }
            }
        }
    }

    private static Kind kind(String word) {
        return word.equals("?") ? null : Kind.valueOf(word.toUpperCase());
    }

    record Vector(String name, List<String> steps) {
        Vector(String name, String... steps) {
            this(name, List.of(steps));
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
