package io.quarkiverse.ambrosia.deployment;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.PrimitiveType;
import org.jboss.jandex.Type;

import io.quarkiverse.ambrosia.runtime.internal.calls.ImmortalClients;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalDefinition;
import io.quarkus.arc.deployment.GeneratedBeanBuildItem;
import io.quarkus.arc.deployment.GeneratedBeanGizmoAdaptor;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.gizmo.ClassCreator;
import io.quarkus.gizmo.MethodCreator;
import io.quarkus.gizmo.MethodDescriptor;
import io.quarkus.gizmo.ResultHandle;

/**
 * Calls between immortals: generates a client bean for each {@code @ImmortalInterface} no immortal of the application
 * implements, and makes asynchronous impulse endpoints run on a worker thread (recording a call waits for the log).
 */
class ImmortalInterfaceProcessor {

    static final String CLIENT_SUFFIX = "_AmbrosiaClient";

    @BuildStep
    void clients(CombinedIndexBuildItem combinedIndex, BuildProducer<GeneratedBeanBuildItem> generatedBeans,
            BuildProducer<ImmortalClientBuildItem> clients) {
        IndexView index = combinedIndex.getIndex();
        SerializableTypes serializable = new SerializableTypes(index);
        List<String> problems = new ArrayList<>();
        for (AnnotationInstance annotation : index.getAnnotations(AmbrosiaDotNames.IMMORTAL_INTERFACE)) {
            if (annotation.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            ClassInfo api = annotation.target().asClass();
            if (!api.isInterface()) {
                problems.add("@ImmortalInterface " + api.name() + " is a class: annotate the interface the immortal"
                        + " implements");
                continue;
            }
            String name = targetName(api);
            if (!name.matches("[a-zA-Z0-9._-]+")) {
                problems.add("@ImmortalInterface " + api.name() + " names immortal '" + name + "', which cannot name a"
                        + " Kafka topic: use only letters, digits, '.', '_' and '-'");
                continue;
            }
            List<MethodInfo> methods = methods(api, index);
            int before = problems.size();
            for (MethodInfo method : methods) {
                validate(api, method, serializable, problems);
            }
            if (ImmortalValidator.isKeyed(methods)) {
                // a keyed immortal's interface: every call names the key that routes it to its partition
                for (MethodInfo method : methods) {
                    ImmortalValidator.validateKey("@ImmortalInterface method " + api.name() + "." + method.name()
                            + "()", api.simpleName(), method, index, problems);
                }
            }
            ClassInfo implementation = localImplementation(api, index);
            if (implementation != null) {
                String implementationName = AmbrosiaProcessor.immortalName(implementation, index);
                if (!implementationName.equals(name)) {
                    problems.add("@Immortal " + implementation.name() + " is named '" + implementationName + "' but"
                            + " implements @ImmortalInterface " + api.name() + ", which names immortal '" + name
                            + "': give them the same name");
                }
                // calls to it go through the immortal itself (its interceptor records them)
                continue;
            }
            if (problems.size() > before) {
                continue;
            }
            clients.produce(new ImmortalClientBuildItem(generateClient(api, name, methods, generatedBeans)));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("\n", problems));
        }
    }

    /**
     * @return the immortal an {@code @ImmortalInterface} names: its value, else its simple name
     */
    static String targetName(ClassInfo api) {
        AnnotationInstance annotation = api.declaredAnnotation(AmbrosiaDotNames.IMMORTAL_INTERFACE);
        var value = annotation == null ? null : annotation.value();
        return value == null || value.asString().isEmpty() ? api.simpleName() : value.asString();
    }

    /**
     * @return the interface's abstract methods, its superinterfaces' included: those a call goes through
     */
    private static List<MethodInfo> methods(ClassInfo api, IndexView index) {
        List<MethodInfo> methods = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<ClassInfo> pending = new ArrayList<>(List.of(api));
        while (!pending.isEmpty()) {
            ClassInfo type = pending.remove(0);
            for (MethodInfo method : type.methods()) {
                if (Modifier.isAbstract(method.flags()) && !Modifier.isStatic(method.flags())
                        && seen.add(AmbrosiaProcessor.signature(method))) {
                    methods.add(method);
                }
            }
            for (DotName parent : type.interfaceNames()) {
                ClassInfo parentInfo = index.getClassByName(parent);
                if (parentInfo != null) {
                    pending.add(parentInfo);
                }
            }
        }
        return methods;
    }

    private static void validate(ClassInfo api, MethodInfo method, SerializableTypes serializable, List<String> problems) {
        String where = "@ImmortalInterface method " + api.name() + "." + method.name() + "()";
        Type returnType = method.returnType();
        if (returnType.kind() != Type.Kind.VOID && !AmbrosiaDotNames.REPLY_TYPES.contains(returnType.name())) {
            problems.add(where + " returns " + returnType + ": a call between immortals is a fork (void) or is answered"
                    + " through the caller's log (Uni<T> or CompletionStage<T>); a handler cannot wait for the value");
            return;
        }
        String asyncProblem = ImmortalValidator.asyncReturnProblem(returnType);
        if (asyncProblem != null) {
            problems.add(where + " " + asyncProblem);
            return;
        }
        for (int i = 0; i < method.parametersCount(); i++) {
            String problem = serializable.problem(method.parameterType(i));
            if (problem != null) {
                String parameter = method.parameterName(i) == null ? "#" + i : "'" + method.parameterName(i) + "'";
                problems.add(where + " parameter " + parameter + " cannot be recorded in the log: " + problem);
            }
        }
        if (returnType.kind() != Type.Kind.VOID) {
            String problem = serializable.problem(ImmortalValidator.resultType(returnType));
            if (problem != null) {
                problems.add(where + " return type cannot be serialized: " + problem);
            }
        }
    }

    private static ClassInfo localImplementation(ClassInfo api, IndexView index) {
        for (ClassInfo implementor : index.getAllKnownImplementors(api.name())) {
            if (implementor.hasDeclaredAnnotation(AmbrosiaDotNames.IMMORTAL)) {
                return implementor;
            }
        }
        return null;
    }

    /**
     * Generates {@code <interface>_AmbrosiaClient}, a singleton bean whose every method hands its arguments to
     * {@link ImmortalClients#call}, and returns what the runtime needs to encode them.
     */
    private static ImmortalDefinition generateClient(ClassInfo api, String name, List<MethodInfo> methods,
            BuildProducer<GeneratedBeanBuildItem> generatedBeans) {
        String interfaceName = api.name().toString();
        ImmortalDefinition definition = new ImmortalDefinition();
        definition.setName(name);
        definition.setBeanClass(interfaceName);
        MethodDescriptor call = MethodDescriptor.ofMethod(ImmortalClients.class, "call", Object.class, String.class,
                String.class, Object[].class);
        try (ClassCreator creator = ClassCreator.builder().classOutput(new GeneratedBeanGizmoAdaptor(generatedBeans))
                .className(interfaceName + CLIENT_SUFFIX).interfaces(interfaceName).build()) {
            creator.addAnnotation(Singleton.class);
            for (MethodInfo method : methods) {
                String signature = AmbrosiaProcessor.signature(method);
                definition.getHandlers().add(AmbrosiaProcessor.handlerDefinition(method, signature));
                MethodCreator body = creator.getMethodCreator(MethodDescriptor.of(method));
                ResultHandle arguments = body.newArray(Object.class, method.parametersCount());
                for (int i = 0; i < method.parametersCount(); i++) {
                    Type parameter = method.parameterType(i);
                    ResultHandle value = body.getMethodParam(i);
                    body.writeArrayValue(arguments, i, parameter.kind() == Type.Kind.PRIMITIVE
                            ? body.smartCast(value, PrimitiveType.box(parameter.asPrimitiveType()).name().toString())
                            : value);
                }
                ResultHandle result = body.invokeStaticMethod(call, body.load(interfaceName), body.load(signature),
                        arguments);
                if (method.returnType().kind() == Type.Kind.VOID) {
                    body.returnVoid();
                } else {
                    body.returnValue(body.checkCast(result, method.returnType().name().toString()));
                }
            }
        }
        return definition;
    }
}
