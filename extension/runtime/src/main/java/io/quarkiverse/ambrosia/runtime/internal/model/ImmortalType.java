package io.quarkiverse.ambrosia.runtime.internal.model;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import io.quarkus.arc.InjectableBean;

/**
 * An immortal as the build found it: its name, bean and methods, and how a log record's target or a Java method finds
 * the method that handles it.
 */
public final class ImmortalType {

    private final String name;
    private final Class<?> beanClass;
    private final String beanId;
    private final Map<String, Handler> byTarget = new HashMap<>();
    private final Map<String, Handler> bySignature = new HashMap<>();
    private final Map<Method, Optional<Handler>> byMethod = new ConcurrentHashMap<>();

    public ImmortalType(ImmortalDefinition definition, Class<?> beanClass, Map<String, Handler> handlers) {
        this.name = definition.getName();
        this.beanClass = beanClass;
        this.beanId = definition.getBeanId();
        for (Handler handler : handlers.values()) {
            byTarget.put(Envelope.target(name, handler.definition.getId()), handler);
            // calls from other immortals name the method by its signature
            byTarget.putIfAbsent(handler.callTarget(name), handler);
            bySignature.put(handler.definition.getSignature(), handler);
        }
    }

    public String name() {
        return name;
    }

    public Class<?> beanClass() {
        return beanClass;
    }

    /**
     * @return the method a record's target header names, or {@code null}
     */
    public Handler handlerForTarget(String target) {
        return byTarget.get(target);
    }

    /**
     * @return the method of this immortal that a call of {@code method} (through the bean or its proxy) runs, or
     *         {@code null} for a method that is no handler
     */
    public Handler handlerFor(Method method) {
        return byMethod.computeIfAbsent(method, m -> Optional.ofNullable(bySignature.get(signature(m)))).orElse(null);
    }

    private static String signature(Method method) {
        StringBuilder signature = new StringBuilder(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (i > 0) {
                signature.append(',');
            }
            signature.append(types[i].getName());
        }
        return signature.append(')').toString();
    }

    /**
     * @return the immortal's bean instance itself (not its client proxy), created if needed
     */
    public Object bean() {
        InjectableBean<?> bean = Arc.container().bean(beanId);
        return ClientProxy.unwrap(Arc.container().instance(bean).get());
    }
}
