package io.quarkiverse.ambrosia.deployment;

import java.util.Optional;

import io.quarkiverse.ambrosia.runtime.metrics.CheckpointMetrics;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.runtime.metrics.MetricsFactory;

/**
 * Checkpoint meters, when the application has Micrometer: the runtime module has it only as an optional dependency.
 */
class CheckpointMetricsProcessor {

    @BuildStep
    AdditionalBeanBuildItem checkpointMetrics(Optional<MetricsCapabilityBuildItem> metrics) {
        if (metrics.isEmpty() || !metrics.get().metricsSupported(MetricsFactory.MICROMETER)) {
            return null;
        }
        return AdditionalBeanBuildItem.unremovableOf(CheckpointMetrics.class);
    }
}
