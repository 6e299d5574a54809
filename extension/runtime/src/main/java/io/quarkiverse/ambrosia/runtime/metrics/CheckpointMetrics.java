package io.quarkiverse.ambrosia.runtime.metrics;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.task.LocalImmortal;
import io.quarkus.runtime.StartupEvent;

/**
 * Micrometer meters of each immortal's checkpoints, tagged {@code immortal}: read from the immortal when scraped, so
 * the dispatcher pays nothing for them. A bean only when the application has {@code quarkus-micrometer}.
 */
@Singleton
public class CheckpointMetrics {

    void register(@Observes StartupEvent event, ImmortalRuntime runtime, MeterRegistry registry) {
        for (LocalImmortal immortal : runtime.immortals()) {
            FunctionCounter.builder("ambrosia.checkpoint.failed", immortal, LocalImmortal::failedCheckpoints)
                    .tag("immortal", immortal.name())
                    .description("Checkpoints that could not be written (their state did not encode)")
                    .register(registry);
            Gauge.builder("ambrosia.records.since.checkpoint", immortal, LocalImmortal::recordsSinceCheckpoint)
                    .tag("immortal", immortal.name())
                    .description("Log records processed after the newest checkpoint: what a recovery would replay")
                    .register(registry);
        }
    }
}
