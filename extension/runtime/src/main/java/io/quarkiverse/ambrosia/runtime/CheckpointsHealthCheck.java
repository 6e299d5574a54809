package io.quarkiverse.ambrosia.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.smallrye.health.api.Wellness;

/**
 * Down while an immortal's checkpoints cannot be written. The immortal still serves (readiness stays up), but its log
 * is not trimmed and a recovery replays everything since its last checkpoint: someone has to look. A wellness check,
 * so that no orchestrator restarts the application for it (a restart would not help).
 */
@Wellness
@ApplicationScoped
public class CheckpointsHealthCheck implements HealthCheck {

    @Inject
    ImmortalRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("Ambrosia checkpoints").up();
        runtime.immortals().forEach(immortal -> {
            String failing = immortal.checkpointsFailing();
            builder.withData(immortal.name(), failing == null ? "ok" : failing);
            builder.withData(immortal.name() + ".failed-checkpoints", immortal.failedCheckpoints());
            builder.withData(immortal.name() + ".records-since-checkpoint", immortal.recordsSinceCheckpoint());
            if (failing != null) {
                builder.down();
            }
        });
        return builder.build();
    }
}
