package io.quarkiverse.ambrosia.deployment;

import java.util.Set;

import org.jboss.jandex.DotName;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.Key;
import io.quarkiverse.ambrosia.ReadOnly;
import io.quarkiverse.ambrosia.runtime.internal.log.ImmortalInvocation;

final class AmbrosiaDotNames {

    static final DotName IMMORTAL = DotName.createSimple(Immortal.class);
    static final DotName READ_ONLY = DotName.createSimple(ReadOnly.class);
    static final DotName IMPULSE = DotName.createSimple(Impulse.class);
    static final DotName KEY = DotName.createSimple(Key.class);
    static final DotName UUID = DotName.createSimple(java.util.UUID.class);
    /** The boxes of the primitive types a {@code @Key} may have: their text form is stable. */
    static final Set<DotName> KEY_BOXES = Set.of(DotName.createSimple(Integer.class), DotName.createSimple(Long.class),
            DotName.createSimple(Short.class), DotName.createSimple(Byte.class), DotName.createSimple(Character.class),
            DotName.createSimple(Boolean.class), DotName.createSimple(String.class));
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

    /** The asynchronous result types a handler, or a method called from one immortal on another, may return. */
    static final Set<DotName> REPLY_TYPES = Set.of(DotName.createSimple("io.smallrye.mutiny.Uni"),
            DotName.createSimple("java.util.concurrent.CompletionStage"),
            DotName.createSimple("java.util.concurrent.CompletableFuture"));

    static final DotName IMMORTAL_INTERFACE = DotName.createSimple(io.quarkiverse.ambrosia.ImmortalInterface.class);
    static final DotName BLOCKING = DotName.createSimple("io.smallrye.common.annotation.Blocking");
    static final DotName NON_BLOCKING = DotName.createSimple("io.smallrye.common.annotation.NonBlocking");
    static final DotName RUN_ON_VIRTUAL_THREAD = DotName.createSimple("io.smallrye.common.annotation.RunOnVirtualThread");

    static final Set<DotName> HTTP_METHODS = Set.of(DotName.createSimple("jakarta.ws.rs.GET"),
            DotName.createSimple("jakarta.ws.rs.POST"), DotName.createSimple("jakarta.ws.rs.PUT"),
            DotName.createSimple("jakarta.ws.rs.DELETE"), DotName.createSimple("jakarta.ws.rs.PATCH"),
            DotName.createSimple("jakarta.ws.rs.HEAD"), DotName.createSimple("jakarta.ws.rs.OPTIONS"));
    static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    static final DotName JAXRS_RESPONSE = DotName.createSimple("jakarta.ws.rs.core.Response");
    static final DotName REST_RESPONSE = DotName.createSimple("org.jboss.resteasy.reactive.RestResponse");
    static final DotName CONTEXT = DotName.createSimple("jakarta.ws.rs.core.Context");
    static final DotName SUSPENDED = DotName.createSimple("jakarta.ws.rs.container.Suspended");
    /** Request-scoped HTTP objects a JAX-RS method can take: they exist only during the request, not on replay. */
    static final Set<String> REQUEST_CONTEXT_PREFIXES = Set.of("jakarta.ws.rs.core.", "jakarta.ws.rs.container.",
            "jakarta.ws.rs.sse.", "io.vertx.", "org.jboss.resteasy.reactive.", "jakarta.servlet.");

    private AmbrosiaDotNames() {
    }
}
