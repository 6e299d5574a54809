package io.quarkiverse.ambrosia.deployment.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;

public class HandlerExceptionTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("exception-test.", Counter.class);

    @Inject
    Counter counter;

    @Test
    void theCallerGetsTheHandlersExceptionAndTheDispatcherGoesOn() {
        counter.add(10);

        assertThatThrownBy(() -> counter.withdraw(25))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("insufficient funds: 10 < 25");

        assertThat(counter.withdraw(4)).isEqualTo(6);
        assertThat(counter.add(1)).isEqualTo(7);
        assertThat(counter.attempts()).isEqualTo(2);
        // the failed call was recorded like any other: a replay fails it again, the same way
        assertThat(TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(), "exception-test.Counter"))
                .extracting(TopicReader::value).containsExactly("[10]", "[25]", "[4]", "[1]");
    }
}
