package io.quarkiverse.ambrosia.deployment;

import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.FieldInfo;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

/**
 * Decides at build time whether a type can be written to JSON and read back as the same type: what state, arguments
 * and results must be, since they live in the log and in checkpoints.
 */
final class SerializableTypes {

    private static final DotName JSON_TYPE_INFO = DotName.createSimple("com.fasterxml.jackson.annotation.JsonTypeInfo");

    private static final Set<String> CONTAINER_INTERFACES = Set.of("java.util.Collection", "java.util.List",
            "java.util.Set", "java.util.SortedSet", "java.util.NavigableSet", "java.util.Queue", "java.util.Deque",
            "java.util.Map", "java.util.SortedMap", "java.util.NavigableMap", "java.util.concurrent.ConcurrentMap",
            "java.util.concurrent.ConcurrentNavigableMap", "java.lang.Iterable");

    /** Types that are never state, with the fix to suggest. */
    private static final Map<String, String> FORBIDDEN = Map.ofEntries(
            Map.entry("java.lang.Object", "its concrete type is lost in JSON; declare a concrete type"),
            Map.entry("java.lang.Thread", "a thread is not state; mark the field transient"),
            Map.entry("java.lang.ThreadLocal", "a thread-local is not state; mark the field transient"),
            Map.entry("java.lang.Runnable", "code is not state; mark the field transient"),
            Map.entry("java.util.Random", "its seed is not serializable and it makes replay diverge; use Immortals.random()"),
            Map.entry("java.security.SecureRandom", "it makes replay diverge; use Immortals.random()"),
            Map.entry("java.util.SplittableRandom", "its seed is not serializable; use Immortals.random()"),
            Map.entry("java.util.Timer", "a timer is not state; mark the field transient"),
            Map.entry("java.net.Socket", "a connection is not state; mark the field transient"),
            Map.entry("java.net.ServerSocket", "a socket is not state; mark the field transient"),
            Map.entry("java.sql.Connection", "a connection is not state; mark the field transient"));

    /** Packages and prefixes whose types are resources or computations, never state. */
    private static final Map<String, String> FORBIDDEN_PREFIXES = Map.of(
            "java.util.concurrent.locks.", "a lock is not state; mark the field transient",
            "java.util.function.", "a function is not state; mark the field transient",
            "java.io.", "a stream or file handle is not state; mark the field transient",
            "java.nio.channels.", "a channel is not state; mark the field transient",
            "io.smallrye.mutiny.", "a pending computation is not state; store its result",
            "java.util.concurrent.Executor", "an executor is not state; mark the field transient",
            "java.util.concurrent.ScheduledExecutor", "an executor is not state; mark the field transient",
            "java.util.concurrent.Future", "a pending computation is not state; store its result",
            "java.util.concurrent.CompletableFuture", "a pending computation is not state; store its result",
            "java.util.concurrent.CompletionStage", "a pending computation is not state; store its result");

    private final IndexView index;

    SerializableTypes(IndexView index) {
        this.index = index;
    }

    /**
     * @return {@code null} if values of the type survive a JSON round trip, else why not
     */
    String problem(Type type) {
        return problem(type, new HashSet<>());
    }

    private String problem(Type type, Set<DotName> visiting) {
        switch (type.kind()) {
            case VOID, PRIMITIVE :
                return null;
            case ARRAY :
                return problem(type.asArrayType().elementType(), visiting);
            case TYPE_VARIABLE :
            case UNRESOLVED_TYPE_VARIABLE :
            case WILDCARD_TYPE :
                return "a type variable cannot be restored from JSON; declare a concrete type";
            case CLASS :
            case PARAMETERIZED_TYPE :
                break;
            default :
                return null;
        }
        String name = type.name().toString();
        String forbidden = forbidden(name);
        if (forbidden != null) {
            return "type " + name + ": " + forbidden;
        }
        if (type.kind() == Type.Kind.PARAMETERIZED_TYPE) {
            for (Type argument : type.asParameterizedType().arguments()) {
                String problem = problem(argument, visiting);
                if (problem != null) {
                    return problem;
                }
            }
        }
        if (CONTAINER_INTERFACES.contains(name) || !visiting.add(type.name())) {
            return null;
        }
        try {
            ClassInfo clazz = index.getClassByName(type.name());
            if (clazz == null || name.startsWith("java.") || name.startsWith("javax.")) {
                // JDK and unindexed library types: Jackson knows the JDK ones; the others are the user's call
                return null;
            }
            return classProblem(clazz, visiting);
        } finally {
            visiting.remove(type.name());
        }
    }

    private String classProblem(ClassInfo clazz, Set<DotName> visiting) {
        String name = clazz.name().toString();
        if (clazz.isEnum()) {
            return null;
        }
        if ((clazz.isInterface() || Modifier.isAbstract(clazz.flags())) && !clazz.hasDeclaredAnnotation(JSON_TYPE_INFO)) {
            return "type " + name + " is " + (clazz.isInterface() ? "an interface" : "abstract")
                    + ": JSON cannot tell which class to restore; declare a concrete class (or annotate it with"
                    + " Jackson's @JsonTypeInfo)";
        }
        if (clazz.isRecord()) {
            for (var component : clazz.recordComponents()) {
                String problem = problem(component.type(), visiting);
                if (problem != null) {
                    return "record component " + name + "." + component.name() + ": " + problem;
                }
            }
            return null;
        }
        if (clazz.isInterface() || Modifier.isAbstract(clazz.flags())) {
            return null;
        }
        if (clazz.nestingType() == ClassInfo.NestingType.INNER && !Modifier.isStatic(clazz.flags())) {
            return "type " + name + " is a non-static inner class: JSON cannot create it; make it static";
        }
        if (!hasCreator(clazz)) {
            return "type " + name + " has no no-argument constructor (nor a @JsonCreator one): JSON cannot create it;"
                    + " add a no-argument constructor or make it a record";
        }
        for (ClassInfo k = clazz; k != null && !k.name().equals(AmbrosiaDotNames.OBJECT); k = superclass(k)) {
            for (FieldInfo field : k.fields()) {
                if (!isStateField(field)) {
                    continue;
                }
                String problem = problem(field.type(), visiting);
                if (problem != null) {
                    return "field " + k.name() + "." + field.name() + ": " + problem;
                }
            }
        }
        return null;
    }

    private ClassInfo superclass(ClassInfo clazz) {
        return clazz.superName() == null ? null : index.getClassByName(clazz.superName());
    }

    private static boolean hasCreator(ClassInfo clazz) {
        for (MethodInfo constructor : clazz.constructors()) {
            if (constructor.parametersCount() == 0 || constructor.hasDeclaredAnnotation(AmbrosiaDotNames.JSON_CREATOR)) {
                return true;
            }
        }
        return false;
    }

    static boolean isStateField(FieldInfo field) {
        int flags = field.flags();
        return !Modifier.isStatic(flags) && !Modifier.isTransient(flags) && !field.isSynthetic()
                && !field.hasAnnotation(AmbrosiaDotNames.INJECT) && !field.hasAnnotation(AmbrosiaDotNames.CONFIG_PROPERTY);
    }

    private static String forbidden(String name) {
        String reason = FORBIDDEN.get(name);
        if (reason != null) {
            return reason;
        }
        for (Map.Entry<String, String> prefix : FORBIDDEN_PREFIXES.entrySet()) {
            if (name.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        return null;
    }
}
