package io.quarkiverse.ambrosia.deployment.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;

public class CallIsLoggedBeforeExecutionTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("logged-test.", Counter.class);

    @Inject
    Counter counter;

    @Test
    void everyCallIsARecordOfTheLogAndRunsInLogOrder() {
        assertThat(counter.add(5)).isEqualTo(5);
        assertThat(counter.add(7)).isEqualTo(12);

        List<ConsumerRecord<byte[], byte[]>> log = TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(),
                "logged-test.Counter");
        assertThat(log).hasSize(2);
        assertThat(log).extracting(TopicReader::value).containsExactly("[5]", "[7]");
        for (ConsumerRecord<byte[], byte[]> record : log) {
            assertThat(TopicReader.header(record, "ambrosia-version")).isEqualTo("2");
            assertThat(TopicReader.header(record, "kind")).isEqualTo("impulse");
            assertThat(TopicReader.header(record, "target")).isEqualTo("Counter#add");
            assertThat(TopicReader.header(record, "call-id")).isNotBlank();
            assertThat(Long.parseLong(TopicReader.header(record, "logged-at"))).isPositive();
        }
        assertThat(TopicReader.header(log.get(0), "call-id")).isNotEqualTo(TopicReader.header(log.get(1), "call-id"));
        // each handler ran with the offset of its own record: the record existed before the handler ran
        assertThat(counter.offsets()).containsExactly(log.get(0).offset(), log.get(1).offset());
    }

    @Test
    void readOnlyMethodsAreNotLoggedAndReturnCopies() {
        long before = TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(), "logged-test.Counter").size();
        long value = counter.value();
        List<Long> offsets = counter.offsets();
        offsets.clear();

        assertThat(counter.value()).isEqualTo(value);
        assertThat(counter.offsets()).hasSize((int) before);
        assertThat(TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(), "logged-test.Counter"))
                .hasSize((int) before);
    }
}
