package io.quarkiverse.ambrosia.deployment;

import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalDefinition;
import io.quarkus.builder.item.MultiBuildItem;

/**
 * An {@code @ImmortalInterface} this application calls through a generated client: the definition names the target
 * immortal and has the interface as its bean class.
 */
public final class ImmortalClientBuildItem extends MultiBuildItem {

    private final ImmortalDefinition definition;

    ImmortalClientBuildItem(ImmortalDefinition definition) {
        this.definition = definition;
    }

    public ImmortalDefinition definition() {
        return definition;
    }
}
