package io.quarkiverse.ambrosia.runtime.internal.model;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkiverse.ambrosia.runtime.internal.kafka.KeyRouting;
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
    private final boolean keyed;
    private final int partitions;
    private final Map<String, Handler> byTarget = new HashMap<>();
    private final Map<String, Handler> bySignature = new HashMap<>();
    private final Map<Method, Optional<Handler>> byMethod = new ConcurrentHashMap<>();

    public ImmortalType(ImmortalDefinition definition, Class<?> beanClass, Map<String, Handler> handlers) {
        this.name = definition.getName();
        this.beanClass = beanClass;
        this.beanId = definition.getBeanId();
        this.keyed = definition.isKeyed();
        this.partitions = Math.max(1, definition.getPartitions());
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
     * @return whether the immortal has one state per key (its methods take a {@code @Key})
     */
    public boolean keyed() {
        return keyed;
    }

    /**
     * @return the partitions of its log: 1 for a singleton
     */
    public int partitions() {
        return partitions;
    }

    /**
     * @return the partition of the log that a call of {@code handler} with these arguments goes to
     */
    public int partitionOf(Handler handler, Object[] arguments) {
        return keyed ? KeyRouting.partition(handler.keyOf(arguments), partitions) : 0;
    }

    /**
     * @return why a record of a keyed immortal cannot run (it has no key, its key belongs to another partition, or is
     *         not its {@code @Key} argument), or {@code null}; always {@code null} for a singleton, whose records'
     *         keys are not read
     */
    public String keyProblem(String key, int partition, Handler handler, Object[] arguments) {
        if (!keyed) {
            return null;
        }
        if (key == null) {
            return "immortal " + name + " is keyed and the record has no key (the record key must be the @Key argument"
                    + " as UTF-8)";
        }
        int owner = KeyRouting.partition(key, partitions);
        if (owner != partition) {
            return "key '" + key + "' belongs to partition " + owner + " of the " + partitions + " of immortal " + name
                    + ", not to partition " + partition;
        }
        String argument;
        try {
            argument = handler.keyOf(arguments);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!argument.equals(key)) {
            return "the record's key '" + key + "' is not its @Key argument '" + argument + "'";
        }
        return null;
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
