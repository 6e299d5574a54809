package io.quarkiverse.ambrosia.runtime.rest;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.model.EndpointMethod;
import io.quarkus.arc.Arc;

/**
 * Which REST endpoints are an immortal's, and which of their parameters is the request body: asked on every request
 * that reads a body or fails to decode, so the answer is kept per resource method.
 */
public final class ImmortalEndpoints {

    private static final Map<ResteasyReactiveResourceInfo, Optional<Endpoint>> ENDPOINTS = new ConcurrentHashMap<>();

    /**
     * @param name {@code Immortal.method}
     * @param body the name of the body parameter (how problems name a body that does not fit as a whole), or
     *        {@code "body"} if the method has none
     * @param impulse whether the arguments are recorded ({@code @Impulse}) rather than only read
     */
    public record Endpoint(String name, String body, boolean impulse) {
    }

    private ImmortalEndpoints() {
    }

    /**
     * @return the immortal's endpoint serving the request, or {@code null} if it is not an immortal's
     */
    public static Endpoint of(ServerRequestContext context) {
        return context == null ? null : of(context.getResteasyReactiveResourceInfo());
    }

    /**
     * @return the immortal's endpoint that the resource method is, or {@code null} if it is not an immortal's
     */
    public static Endpoint of(ResteasyReactiveResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return null;
        }
        return ENDPOINTS.computeIfAbsent(resource, ImmortalEndpoints::find).orElse(null);
    }

    private static Optional<Endpoint> find(ResteasyReactiveResourceInfo resource) {
        ImmortalRuntime runtime = Arc.container().instance(ImmortalRuntime.class).get();
        EndpointMethod method = runtime == null
                ? null
                : EndpointMethod.of(runtime, resource.getResourceClass(), resource.getMethod());
        if (method == null) {
            return Optional.empty();
        }
        return Optional.of(new Endpoint(method.qualifiedName(), bodyName(resource, method), method.impulse()));
    }

    /**
     * The body is the parameter without a JAX-RS or Quarkus REST annotation ({@code @PathParam}, {@code @RestQuery}...).
     */
    private static String bodyName(ResteasyReactiveResourceInfo resource, EndpointMethod method) {
        for (int i = 0; i < resource.getParameterTypes().length; i++) {
            if (!hasRequestAnnotation(resource.getParameterAnnotations(i))) {
                return i < method.parameterNames().size() ? method.parameterNames().get(i) : "body";
            }
        }
        return "body";
    }

    private static boolean hasRequestAnnotation(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            String type = annotation.annotationType().getName();
            if (type.startsWith("jakarta.ws.rs.") || type.startsWith("org.jboss.resteasy.reactive.")) {
                return true;
            }
        }
        return false;
    }
}
