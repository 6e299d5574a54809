package io.quarkiverse.ambrosia.deployment;

import java.util.Set;

import org.jboss.jandex.DotName;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalInvocation;

final class AmbrosiaDotNames {

    static final DotName IMMORTAL = DotName.createSimple(Immortal.class);
    static final DotName READ_ONLY = DotName.createSimple(ReadOnly.class);
    static final DotName IMMORTAL_INVOCATION = DotName.createSimple(ImmortalInvocation.class);

    static final DotName INJECT = DotName.createSimple("jakarta.inject.Inject");
    static final DotName CONFIG_PROPERTY = DotName.createSimple("org.eclipse.microprofile.config.inject.ConfigProperty");
    static final DotName PRODUCES = DotName.createSimple("jakarta.enterprise.inject.Produces");
    static final DotName POST_CONSTRUCT = DotName.createSimple("jakarta.annotation.PostConstruct");
    static final DotName PRE_DESTROY = DotName.createSimple("jakarta.annotation.PreDestroy");
    static final DotName JSON_CREATOR = DotName.createSimple("com.fasterxml.jackson.annotation.JsonCreator");
    static final DotName OBJECT = DotName.createSimple(Object.class);

    static final Set<DotName> ASYNC_TYPES = Set.of(DotName.createSimple("io.smallrye.mutiny.Uni"),
            DotName.createSimple("io.smallrye.mutiny.Multi"), DotName.createSimple("java.util.concurrent.CompletionStage"),
            DotName.createSimple("java.util.concurrent.CompletableFuture"),
            DotName.createSimple("java.util.concurrent.Future"));

    private AmbrosiaDotNames() {
    }
}
