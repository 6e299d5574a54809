package io.quarkiverse.ambrosia.runtime.internal.model;

import java.lang.reflect.Method;
import java.util.List;

import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.task.LocalImmortal;

/**
 * An immortal's REST endpoint method as the HTTP layer sees it: its name in answers, whether its arguments are recorded
 * ({@code @Impulse}) or only read ({@code @ReadOnly}), and its parameters' names as the build saw them.
 */
public record EndpointMethod(String qualifiedName, boolean impulse, List<String> parameterNames) {

    /**
     * @return the endpoint that {@code method} of {@code resourceClass} is, or {@code null} if it is not an immortal's
     */
    public static EndpointMethod of(ImmortalRuntime runtime, Class<?> resourceClass, Method method) {
        LocalImmortal immortal = runtime.immortalOf(resourceClass);
        if (immortal == null) {
            return null;
        }
        Handler handler = method == null ? null : immortal.handlerFor(method);
        if (handler == null) {
            // the build admits no other endpoint method on an immortal; answer as for a read
            return new EndpointMethod(immortal.name() + "." + (method == null ? "?" : method.getName()), false,
                    List.of());
        }
        return new EndpointMethod(handler.qualifiedName, !handler.definition.isReadOnly(),
                List.copyOf(handler.definition.getParameterNames()));
    }
}
