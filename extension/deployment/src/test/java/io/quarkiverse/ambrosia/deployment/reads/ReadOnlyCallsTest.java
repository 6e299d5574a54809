package io.quarkiverse.ambrosia.deployment.reads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;

/**
 * What a {@code @ReadOnly} method may call: its own immortal's read-only methods and another immortal's logged
 * methods, not its own immortal's logged methods (refused at once). And a logged handler reading its own immortal.
 */
public class ReadOnlyCallsTest {

    private static final String LOG = "readonly-test.Notebook";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("readonly-test.", Notebook.class, Archive.class,
            Timed.class)
            .overrideConfigKey("quarkus.ambrosia.call-timeout", "2s");

    @Inject
    Notebook notebook;

    @Inject
    Archive archive;

    @Test
    void aLoggedCallToItsOwnImmortalFromAReadOnlyMethodIsRefusedAtOnce() throws Exception {
        notebook.write("before refusal");
        // without the check the call waits for the dispatcher, which waits for the read lock the method holds: the
        // caller until call-timeout (then ImmortalPendingException), the dispatcher and every other caller with it
        Timed refused = Timed.run(() -> notebook.writeFromRead("refused"));

        assertRefused(refused, "Notebook.writeFromRead", "Notebook.write");
        assertThat(recorded("[\"refused\"]")).isZero();
        assertThat(notebook.notes()).doesNotContain("refused");
        // the immortal goes on serving its callers
        Timed write = Timed.run(() -> notebook.write("after refusal"));
        assertThat(write.failure()).isNull();
        assertThat(write.value()).isEqualTo(notebook.count());
        assertThat(notebook.notes()).endsWith("before refusal", "after refusal");
    }

    @Test
    void aDirectLoggedCallToItsOwnImmortalFromAReadOnlyMethodIsRefusedToo() {
        Timed refused = Timed.run(() -> notebook.writeDirectlyFromRead("refused directly"));

        assertRefused(refused, "Notebook.writeDirectlyFromRead", "Notebook.write");
        assertThat(recorded("[\"refused directly\"]")).isZero();
        assertThat(notebook.write("after direct refusal")).isEqualTo(notebook.count());
    }

    @Test
    void anAsynchronousLoggedCallToItsOwnImmortalFromAReadOnlyMethodIsRefusedToo() {
        // it would not stall (the read returns before the call runs), but a read-only method may only read
        Timed refused = Timed.run(() -> notebook.writeLaterFromRead("refused later"));

        assertRefused(refused, "Notebook.writeLaterFromRead", "Notebook.writeLater");
        assertThat(recorded("[\"refused later\"]")).isZero();
        assertThat(notebook.writeLater("after async refusal").await().atMost(java.time.Duration.ofSeconds(30)))
                .isEqualTo(notebook.count());
    }

    @Test
    void aReadOnlyMethodReadsThroughAnotherReadOnlyMethodOfItsImmortal() throws Exception {
        int count = notebook.count();
        assertThat(notebook.summary(0)).isEqualTo(count + " then " + count + " notes");

        // the inner read takes the read lock again while the dispatcher waits for the write lock: reentrant
        Notebook.reading = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Timed> summary = Timed.start(() -> notebook.summary(1000));
        assertThat(Notebook.reading.await(30, TimeUnit.SECONDS)).as("the read holds the read lock").isTrue();
        Timed write = Timed.run(() -> notebook.write("behind a read"));
        assertThat(summary.get(30, TimeUnit.SECONDS).value()).isEqualTo(count + " then " + count + " notes");
        assertThat(write.failure()).isNull();
        assertThat(write.value()).isEqualTo(count + 1);
    }

    @Test
    void aReadOnlyMethodCallsALoggedMethodOfAnotherImmortal() {
        int count = notebook.count();
        Timed stored = Timed.run(() -> notebook.archiveFromRead());

        assertThat(stored.failure()).isNull();
        assertThat(archive.counts()).hasSize((Integer) stored.value()).last().isEqualTo(count);
        assertThat(TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(), "readonly-test.Archive"))
                .extracting(TopicReader::value).contains("[" + count + "]");
    }

    @Test
    void aLoggedHandlerReadsItsOwnImmortalThroughAReadOnlyMethod() {
        int count = notebook.count();
        Timed written = Timed.run(() -> notebook.writeAndCount("counted"));

        // run on the dispatcher, which holds the write lock: the read is part of the handler and sees its write
        assertThat(written.failure()).isNull();
        assertThat(written.value()).isEqualTo("counted: " + (count + 1) + " notes");
        assertThat(notebook.count()).isEqualTo(count + 1);
    }

    private static void assertRefused(Timed refused, String reader, String target) {
        assertThat(refused.failure()).isInstanceOf(IllegalStateException.class)
                .hasMessage("Immortal Notebook: @ReadOnly method " + reader + " calls " + target + ", a logged method of"
                        + " the same immortal: a read-only method may only read (it holds the immortal's read lock, and"
                        + " the dispatcher cannot run the call until it is released); make the call from the caller"
                        + " instead");
    }

    private static long recorded(String value) {
        List<String> values = TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(), LOG).stream()
                .map(TopicReader::value).toList();
        return values.stream().filter(value::equals).count();
    }

    /** A call's outcome and how long it took. */
    record Timed(Object value, Throwable failure, long millis) {

        static Timed run(Callable<?> call) {
            long start = System.nanoTime();
            try {
                Object value = call.call();
                return new Timed(value, null, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            } catch (Throwable e) {
                return new Timed(null, e, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        }

        static CompletableFuture<Timed> start(Callable<?> call) {
            CompletableFuture<Timed> result = new CompletableFuture<>();
            Thread thread = new Thread(() -> result.complete(run(call)), "readonly-test-caller");
            thread.setDaemon(true);
            thread.start();
            return result;
        }
    }
}
