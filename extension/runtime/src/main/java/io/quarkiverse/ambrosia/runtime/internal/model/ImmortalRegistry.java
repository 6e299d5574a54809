package io.quarkiverse.ambrosia.runtime.internal.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.invoke.Invoker;

/**
 * The immortals of the application and the invokers generated for their methods at build time.
 */
public final class ImmortalRegistry {

    private static volatile ImmortalRegistry installed = new ImmortalRegistry(List.of(), List.of());

    private final List<ImmortalDefinition> definitions;
    private final List<ImmortalDefinition> clients;
    private final Map<String, Invoker<Object, Object>> invokers = new HashMap<>();

    /**
     * @param definitions the immortals of this application
     * @param clients the {@code @ImmortalInterface}s it calls through a generated client (the bean class is the
     *        interface, the name the target immortal's)
     */
    public ImmortalRegistry(List<ImmortalDefinition> definitions, List<ImmortalDefinition> clients) {
        this.definitions = definitions;
        this.clients = clients;
    }

    public static void install(ImmortalRegistry registry) {
        installed = registry;
    }

    public static ImmortalRegistry installed() {
        return installed;
    }

    public List<ImmortalDefinition> definitions() {
        return definitions;
    }

    public List<ImmortalDefinition> clients() {
        return clients;
    }

    public void addInvoker(String immortal, String handlerId, Invoker<Object, Object> invoker) {
        invokers.put(immortal + "#" + handlerId, invoker);
    }

    public Invoker<Object, Object> invoker(String immortal, String handlerId) {
        Invoker<Object, Object> invoker = invokers.get(immortal + "#" + handlerId);
        if (invoker == null) {
            throw new IllegalStateException("No invoker was generated for " + immortal + "#" + handlerId);
        }
        return invoker;
    }
}
