package io.quarkiverse.ambrosia.deployment;

import java.util.Map;

import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalDefinition;
import io.quarkus.builder.item.MultiBuildItem;

/**
 * A valid immortal, with the invoker generated for each of its methods.
 */
public final class ImmortalBuildItem extends MultiBuildItem {

    private final ImmortalDefinition definition;
    private final Map<String, String> invokerClassByHandlerId;

    ImmortalBuildItem(ImmortalDefinition definition, Map<String, String> invokerClassByHandlerId) {
        this.definition = definition;
        this.invokerClassByHandlerId = invokerClassByHandlerId;
    }

    public ImmortalDefinition definition() {
        return definition;
    }

    Map<String, String> invokerClassByHandlerId() {
        return invokerClassByHandlerId;
    }
}
