package io.quarkiverse.ambrosia.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;

/**
 * Ready when every immortal has recovered and caught up with its log.
 */
@Readiness
@ApplicationScoped
public class ImmortalsHealthCheck implements HealthCheck {

    @Inject
    ImmortalRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("Ambrosia immortals").up();
        runtime.immortals().forEach(immortal -> {
            builder.withData(immortal.name(), immortal.describeStatus());
            if (!immortal.isLive()) {
                builder.down();
            }
        });
        return builder.build();
    }
}
