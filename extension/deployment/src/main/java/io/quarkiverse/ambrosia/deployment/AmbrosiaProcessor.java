package io.quarkiverse.ambrosia.deployment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTransformation;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

import io.quarkiverse.ambrosia.runtime.AmbrosiaRecorder;
import io.quarkiverse.ambrosia.runtime.CheckpointsHealthCheck;
import io.quarkiverse.ambrosia.runtime.ImmortalsHealthCheck;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.JsonStateCodec;
import io.quarkiverse.ambrosia.runtime.internal.log.ImmortalInterceptor;
import io.quarkiverse.ambrosia.runtime.internal.log.ImmortalInvocation;
import io.quarkiverse.ambrosia.runtime.internal.model.HandlerDefinition;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalDefinition;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalRegistry;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.AnnotationsTransformerBuildItem;
import io.quarkus.arc.deployment.AutoAddScopeBuildItem;
import io.quarkus.arc.deployment.InvokerFactoryBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.arc.deployment.ValidationPhaseBuildItem;
import io.quarkus.arc.deployment.ValidationPhaseBuildItem.ValidationErrorBuildItem;
import io.quarkus.arc.processor.BeanInfo;
import io.quarkus.arc.processor.BuiltinScope;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.recording.RecorderContext;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;

/**
 * Finds the {@code @Immortal} beans, checks that they can be immortal, generates an invoker per method and hands the
 * result to the runtime.
 */
class AmbrosiaProcessor {

    static final String FEATURE = "ambrosia";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    AdditionalBeanBuildItem beans() {
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(ImmortalRuntime.class, ImmortalInterceptor.class, ImmortalInvocation.class,
                        JsonStateCodec.class)
                .setUnremovable()
                .build();
    }

    @BuildStep
    AutoAddScopeBuildItem immortalScope() {
        return AutoAddScopeBuildItem.builder()
                .isAnnotatedWith(AmbrosiaDotNames.IMMORTAL)
                .defaultScope(BuiltinScope.APPLICATION)
                .unremovable()
                .reason("Found an @Immortal class")
                .build();
    }

    @BuildStep
    UnremovableBeanBuildItem keepImmortals() {
        // an immortal nobody injects still owns its log; a scope given by the user does not make it unremovable
        return UnremovableBeanBuildItem.beanClassAnnotation(AmbrosiaDotNames.IMMORTAL);
    }

    @BuildStep
    AnnotationsTransformerBuildItem bindInterceptor() {
        return new AnnotationsTransformerBuildItem(AnnotationTransformation.forClasses()
                .whenClass(clazz -> clazz.hasDeclaredAnnotation(AmbrosiaDotNames.IMMORTAL))
                .transform(context -> context.add(ImmortalInvocation.class)));
    }

    @BuildStep
    void healthChecks(BuildProducer<HealthBuildItem> checks) {
        checks.produce(new HealthBuildItem(ImmortalsHealthCheck.class.getName(), true));
        checks.produce(new HealthBuildItem(CheckpointsHealthCheck.class.getName(), true));
    }

    @BuildStep
    void collectImmortals(ValidationPhaseBuildItem validationPhase, InvokerFactoryBuildItem invokerFactory,
            CombinedIndexBuildItem combinedIndex, BuildProducer<ImmortalBuildItem> immortals,
            BuildProducer<ValidationErrorBuildItem> errors) {
        IndexView index = combinedIndex.getIndex();
        SerializableTypes serializable = new SerializableTypes(index);
        List<Throwable> problems = new ArrayList<>();
        Map<String, String> classByName = new HashMap<>();
        for (AnnotationInstance annotation : index.getAnnotations(AmbrosiaDotNames.IMMORTAL)) {
            if (annotation.target().kind() != org.jboss.jandex.AnnotationTarget.Kind.CLASS) {
                continue;
            }
            ClassInfo clazz = annotation.target().asClass();
            List<String> classProblems = new ImmortalValidator(clazz, index, serializable).validate();
            if (!classProblems.isEmpty()) {
                for (String problem : classProblems) {
                    problems.add(new IllegalStateException(problem));
                }
                continue;
            }
            String name = immortalName(clazz, index);
            String previous = classByName.putIfAbsent(name, clazz.name().toString());
            if (previous != null) {
                problems.add(new IllegalStateException("@Immortal " + clazz.name() + " and " + previous
                        + " are both named '" + name + "': give one another name with @Immortal(name = \"...\")"));
                continue;
            }
            if (!name.matches("[a-zA-Z0-9._-]+")) {
                problems.add(new IllegalStateException("@Immortal " + clazz.name() + " is named '" + name
                        + "', which cannot name a Kafka topic: use only letters, digits, '.', '_' and '-'"));
                continue;
            }
            BeanInfo bean = validationPhase.getContext().beans().classBeans().withBeanClass(clazz.name()).firstResult()
                    .orElse(null);
            if (bean == null) {
                problems.add(new IllegalStateException("@Immortal " + clazz.name() + " is not a bean: it was vetoed or"
                        + " excluded from bean discovery"));
                continue;
            }
            String scope = bean.getScope().getDotName().toString();
            if (!scope.equals(BuiltinScope.APPLICATION.getName().toString())
                    && !scope.equals(BuiltinScope.SINGLETON.getName().toString())) {
                problems.add(new IllegalStateException("@Immortal " + clazz.name() + " has scope @" + scope
                        + ": an immortal has one instance per application; use @ApplicationScoped or no scope"));
                continue;
            }
            immortals.produce(define(name, clazz, bean, index, invokerFactory));
        }
        if (!problems.isEmpty()) {
            errors.produce(new ValidationErrorBuildItem(problems));
        }
    }

    /**
     * @return the immortal's name: {@code @Immortal(name)}, else the name of the {@code @ImmortalInterface} it
     *         implements, else its simple class name
     */
    static String immortalName(ClassInfo clazz, IndexView index) {
        var value = clazz.declaredAnnotation(AmbrosiaDotNames.IMMORTAL).value("name");
        if (value != null && !value.asString().isEmpty()) {
            return value.asString();
        }
        for (DotName implemented : clazz.interfaceNames()) {
            ClassInfo api = index.getClassByName(implemented);
            if (api != null && api.hasDeclaredAnnotation(AmbrosiaDotNames.IMMORTAL_INTERFACE)) {
                return ImmortalInterfaceProcessor.targetName(api);
            }
        }
        return clazz.simpleName();
    }

    private static ImmortalBuildItem define(String name, ClassInfo clazz, BeanInfo bean, IndexView index,
            InvokerFactoryBuildItem invokerFactory) {
        ImmortalDefinition definition = new ImmortalDefinition();
        definition.setName(name);
        definition.setBeanClass(clazz.name().toString());
        definition.setBeanId(bean.getIdentifier());
        List<MethodInfo> methods = ImmortalValidator.handlerMethods(clazz, index);
        boolean keyed = ImmortalValidator.isKeyed(methods);
        definition.setKeyed(keyed);
        definition.setPartitions(ImmortalValidator.partitions(clazz, keyed));
        Map<String, Integer> overloads = new HashMap<>();
        for (MethodInfo method : methods) {
            overloads.merge(method.name(), 1, Integer::sum);
        }
        Map<String, String> invokers = new LinkedHashMap<>();
        for (MethodInfo method : methods) {
            HandlerDefinition handler = handlerDefinition(method,
                    overloads.get(method.name()) > 1 ? signature(method) : method.name());
            definition.getHandlers().add(handler);
            if (keyed) {
                // a keyed immortal's methods run on the instance of their key, reads too
                invokers.put(handler.getId(), invokerFactory.createInvoker(bean, method).build().getClassName());
            } else if (!handler.isReadOnly()) {
                invokers.put(handler.getId(),
                        invokerFactory.createInvoker(bean, method).withInstanceLookup().build().getClassName());
            }
        }
        return new ImmortalBuildItem(definition, invokers);
    }

    /**
     * @return a method as the runtime knows it: ids, names and canonical types
     */
    static HandlerDefinition handlerDefinition(MethodInfo method, String id) {
        HandlerDefinition handler = new HandlerDefinition();
        handler.setSignature(signature(method));
        handler.setId(id);
        handler.setMethodName(method.name());
        for (int i = 0; i < method.parametersCount(); i++) {
            handler.getParameterTypes().add(CanonicalTypes.of(method.parameterType(i)));
            String parameterName = method.parameterName(i);
            handler.getParameterNames().add(parameterName == null ? "arg" + i : parameterName);
        }
        handler.setReturnType(CanonicalTypes.of(method.returnType()));
        handler.setReadOnly(method.hasDeclaredAnnotation(AmbrosiaDotNames.READ_ONLY));
        handler.setEndpoint(ImmortalValidator.isEndpoint(method));
        handler.setKeyParameter(ImmortalValidator.keyParameter(method));
        return handler;
    }

    static String signature(MethodInfo method) {
        StringBuilder signature = new StringBuilder(method.name()).append('(');
        for (int i = 0; i < method.parametersCount(); i++) {
            if (i > 0) {
                signature.append(',');
            }
            signature.append(erasure(method.parameterType(i)));
        }
        return signature.append(')').toString();
    }

    /**
     * The name {@link Class#getName()} gives the erased type: what the interceptor sees at runtime.
     */
    private static String erasure(Type type) {
        return switch (type.kind()) {
            case ARRAY -> {
                StringBuilder name = new StringBuilder();
                name.append("[".repeat(type.asArrayType().deepDimensions()));
                Type element = type.asArrayType().elementType();
                if (element.kind() == Type.Kind.PRIMITIVE) {
                    name.append(switch (element.asPrimitiveType().primitive()) {
                        case BOOLEAN -> 'Z';
                        case BYTE -> 'B';
                        case SHORT -> 'S';
                        case CHAR -> 'C';
                        case INT -> 'I';
                        case LONG -> 'J';
                        case FLOAT -> 'F';
                        case DOUBLE -> 'D';
                    });
                } else {
                    name.append('L').append(erasure(element)).append(';');
                }
                yield name.toString();
            }
            case TYPE_VARIABLE -> type.asTypeVariable().bounds().isEmpty()
                    ? "java.lang.Object"
                    : erasure(type.asTypeVariable().bounds().get(0));
            default -> type.name().toString();
        };
    }

    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    void registry(AmbrosiaRecorder recorder, RecorderContext recorderContext, List<ImmortalBuildItem> immortals,
            List<ImmortalClientBuildItem> clients) {
        List<ImmortalDefinition> definitions = new ArrayList<>();
        for (ImmortalBuildItem immortal : immortals) {
            definitions.add(immortal.definition());
        }
        List<ImmortalDefinition> clientDefinitions = new ArrayList<>();
        for (ImmortalClientBuildItem client : clients) {
            clientDefinitions.add(client.definition());
        }
        RuntimeValue<ImmortalRegistry> registry = recorder.createRegistry(definitions, clientDefinitions);
        for (ImmortalBuildItem immortal : immortals) {
            for (Map.Entry<String, String> invoker : immortal.invokerClassByHandlerId().entrySet()) {
                recorder.addInvoker(registry, immortal.definition().getName(), invoker.getKey(),
                        recorderContext.newInstance(invoker.getValue()));
            }
        }
        // a static holder, not a synthetic bean: the invokers exist only after bean validation, too late to register beans
        recorder.install(registry);
    }
}
