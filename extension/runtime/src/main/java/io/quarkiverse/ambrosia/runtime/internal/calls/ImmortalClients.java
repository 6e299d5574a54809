package io.quarkiverse.ambrosia.runtime.internal.calls;

import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkus.arc.Arc;

/**
 * Entry point of the clients generated at build time for {@code @ImmortalInterface}s: each method of a client calls
 * {@link #call}.
 */
public final class ImmortalClients {

    private static volatile ImmortalRuntime runtime;

    private ImmortalClients() {
    }

    /**
     * @param interfaceName the interface's binary name
     * @param signature the method's signature, {@code name(erased,parameter,types)}
     * @return {@code null} for a fork, else the reply's {@code Uni} or {@code CompletionStage}
     */
    public static Object call(String interfaceName, String signature, Object[] arguments) {
        ImmortalRuntime current = runtime;
        if (current == null) {
            current = Arc.container().instance(ImmortalRuntime.class).get();
        }
        return current.callThroughInterface(interfaceName, signature, arguments);
    }

    /**
     * The runtime of the application that started last (or {@code null} once it stopped), so calls need no lookup.
     */
    public static void use(ImmortalRuntime started) {
        runtime = started;
    }
}
