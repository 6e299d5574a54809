package io.quarkiverse.ambrosia.deployment.timers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Immortals;
import io.quarkiverse.ambrosia.ReadOnly;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.scheduler.SkipUnlessLive;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.SkippedExecution;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A {@code @Scheduled} method of an immortal is a timer impulse: every tick is recorded in the log before it runs, and
 * an instance where the immortal is not live (here: fenced by a newer one) records none.
 */
public class ScheduledImpulseTest {

    private static final String LOG = "scheduled-test.Ticker";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("scheduled-test.", Ticker.class, Skips.class);

    @Inject
    Ticker ticker;

    @Inject
    Skips skips;

    @Inject
    ImmortalRuntime runtime;

    @Test
    void ticksAreRecordedByTheLiveInstanceOnly() throws Exception {
        await("three ticks have run", () -> ticker.ticks() >= 3);
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(),
                LOG);
        assertThat(records).hasSizeGreaterThanOrEqualTo(3);
        assertThat(records).extracting(r -> TopicReader.header(r, "target")).containsOnly("Ticker#tick");
        assertThat(records).extracting(r -> TopicReader.header(r, "kind")).containsOnly("impulse");
        assertThat(ticker.lastTick()).isPositive();

        // what a second instance of the application does when it starts: this one is fenced at its next commit
        try (KafkaProducer<byte[], byte[]> newer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaBroker.sharedBootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "scheduled-test.Ticker-0",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            newer.initTransactions();
            await("the instance is fenced", () -> !runtime.immortal("Ticker").isLive());

            int skipped = skips.count();
            await("a tick is skipped", () -> skips.count() > skipped);
            // ticks never overlap (concurrentExecution = SKIP): after a skip, no tick is being recorded
            int recorded = log();
            await("three more ticks are skipped", () -> skips.count() > skipped + 3);
            assertThat(log()).as("records in %s while fenced", LOG).isEqualTo(recorded);
        }
    }

    private static int log() {
        return TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(), LOG).size();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            // ticks and skips happen on the scheduler's own clock; polling their effects is the only way to wait
            Thread.sleep(20);
        }
    }

    @Immortal
    public static class Ticker {
        int ticks;
        long lastTick;

        @Scheduled(every = "0.1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
        void tick() {
            ticks++;
            lastTick = Immortals.now().toEpochMilli();
        }

        @ReadOnly
        public int ticks() {
            return ticks;
        }

        @ReadOnly
        public long lastTick() {
            return lastTick;
        }
    }

    @ApplicationScoped
    public static class Skips {
        private volatile int count;

        void skipped(@Observes SkippedExecution skipped) {
            if (SkipUnlessLive.class.getName().equals(skipped.getDetail())) {
                count++;
            }
        }

        int count() {
            return count;
        }
    }
}
