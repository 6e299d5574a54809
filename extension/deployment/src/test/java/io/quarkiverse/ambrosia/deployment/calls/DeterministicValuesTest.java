package io.quarkiverse.ambrosia.deployment.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortals;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;

public class DeterministicValuesTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("values-test.", Counter.class);

    @Inject
    Counter counter;

    @Test
    void timeAndIdentityComeFromTheRecord() {
        String[] stamp = counter.stamp().split("\\|");

        List<ConsumerRecord<byte[], byte[]>> log = TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(),
                "values-test.Counter");
        ConsumerRecord<byte[], byte[]> record = log.get(Integer.parseInt(stamp[0]));
        assertThat(TopicReader.header(record, "target")).isEqualTo("Counter#stamp");
        assertThat(stamp[1]).isEqualTo(TopicReader.header(record, "logged-at"));
        assertThat(stamp[2]).isEqualTo(TopicReader.header(record, "call-id"));
    }

    @Test
    void outsideAHandlerThereIsNoDeterministicTime() {
        assertThatThrownBy(Immortals::now).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("may only be called while an @Immortal handler runs");
    }
}
