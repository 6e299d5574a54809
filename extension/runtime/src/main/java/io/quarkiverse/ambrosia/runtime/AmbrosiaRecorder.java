package io.quarkiverse.ambrosia.runtime;

import java.util.List;

import jakarta.enterprise.invoke.Invoker;

import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalDefinition;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalRegistry;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.Recorder;

@Recorder
public class AmbrosiaRecorder {

    public RuntimeValue<ImmortalRegistry> createRegistry(List<ImmortalDefinition> definitions,
            List<ImmortalDefinition> clients) {
        return new RuntimeValue<>(new ImmortalRegistry(definitions, clients));
    }

    public void addInvoker(RuntimeValue<ImmortalRegistry> registry, String immortal, String handlerId,
            RuntimeValue<Invoker<Object, Object>> invoker) {
        registry.getValue().addInvoker(immortal, handlerId, invoker.getValue());
    }

    public void install(RuntimeValue<ImmortalRegistry> registry) {
        ImmortalRegistry.install(registry.getValue());
    }
}
