package io.quarkiverse.ambrosia.deployment;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.ClassType;
import org.jboss.jandex.FieldInfo;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.MethodParameterInfo;
import org.jboss.jandex.Type;

import io.quarkiverse.ambrosia.Immortal;

/**
 * The build-time rules an {@code @Immortal} class must follow. Every message names the class, member and fix.
 */
final class ImmortalValidator {

    private final ClassInfo clazz;
    private final IndexView index;
    private final SerializableTypes serializable;
    private final List<String> problems = new ArrayList<>();

    ImmortalValidator(ClassInfo clazz, IndexView index, SerializableTypes serializable) {
        this.clazz = clazz;
        this.index = index;
        this.serializable = serializable;
    }

    List<String> validate() {
        String name = clazz.name().toString();
        if (clazz.isInterface() || Modifier.isAbstract(clazz.flags())) {
            problems.add("@Immortal " + name + " is " + (clazz.isInterface() ? "an interface" : "abstract")
                    + ": annotate a concrete class");
            return problems;
        }
        if (Modifier.isFinal(clazz.flags())) {
            problems.add("@Immortal " + name + " is final: calls into it must be intercepted to be logged; remove the"
                    + " final modifier");
        }
        if (clazz.nestingType() == ClassInfo.NestingType.INNER && !Modifier.isStatic(clazz.flags())) {
            problems.add("@Immortal " + name + " is a non-static inner class: make it static or top-level");
        }
        for (ClassInfo k = clazz; k != null && !k.name().equals(AmbrosiaDotNames.OBJECT); k = superclass(k)) {
            for (FieldInfo field : k.fields()) {
                validateField(k, field);
            }
        }
        List<MethodInfo> methods = handlerMethods(clazz, index);
        for (MethodInfo method : methods) {
            validateMethod(method);
        }
        validateKeys(methods);
        for (ClassInfo k = clazz; k != null && !k.name().equals(AmbrosiaDotNames.OBJECT); k = superclass(k)) {
            problems.addAll(DeterminismScanner.scan(k, Thread.currentThread().getContextClassLoader()));
        }
        return problems;
    }

    private void validateField(ClassInfo owner, FieldInfo field) {
        if (!SerializableTypes.isStateField(field)) {
            return;
        }
        String where = "@Immortal " + clazz.name() + " field '" + field.name() + "'"
                + (owner == clazz ? "" : " (declared in " + owner.name() + ")");
        if (Modifier.isFinal(field.flags())) {
            problems.add(where + " is final: state fields are assigned when a checkpoint is restored; remove final, or"
                    + " mark the field transient if it is not state");
            return;
        }
        String problem = serializable.problem(field.type());
        if (problem != null) {
            problems.add(where + " cannot be checkpointed: " + problem);
        }
    }

    private void validateMethod(MethodInfo method) {
        String where = "@Immortal method " + clazz.name() + "." + method.name() + "()";
        if (Modifier.isFinal(method.flags())) {
            problems.add(where + " is final: calls to it must be intercepted to be logged; remove the final modifier");
        }
        boolean impulse = method.hasDeclaredAnnotation(AmbrosiaDotNames.IMPULSE);
        boolean readOnly = method.hasDeclaredAnnotation(AmbrosiaDotNames.READ_ONLY);
        boolean endpoint = isEndpoint(method);
        if (impulse && readOnly) {
            problems.add(where + " is both @Impulse and @ReadOnly: an impulse is recorded, a read-only method is not;"
                    + " keep one");
        }
        if (endpoint && !impulse && !readOnly) {
            problems.add(where + " is an HTTP endpoint: annotate it with @Impulse (the request is recorded, then run)"
                    + " or @ReadOnly (served from local state, not recorded)");
        }
        if (!endpoint && method.hasDeclaredAnnotation(AmbrosiaDotNames.PATH)) {
            problems.add(where + " is a JAX-RS sub-resource locator, which an immortal cannot have: give it an HTTP"
                    + " method annotation");
        }
        // a read-only method is not recorded: it may take request context
        for (var parameter : readOnly ? List.<MethodParameterInfo>of() : method.parameters()) {
            String type = parameter.type().name().toString();
            boolean requestContext = parameter.hasDeclaredAnnotation(AmbrosiaDotNames.CONTEXT)
                    || parameter.hasDeclaredAnnotation(AmbrosiaDotNames.SUSPENDED)
                    || AmbrosiaDotNames.REQUEST_CONTEXT_PREFIXES.stream().anyMatch(type::startsWith);
            if (requestContext) {
                String name = parameter.name() == null ? "#" + parameter.position() : "'" + parameter.name() + "'";
                problems.add(where + " parameter " + name + " (" + type + ") is HTTP request context, which a replay"
                        + " does not have: take the values you need as @HeaderParam, @QueryParam, @PathParam or body"
                        + " parameters, which are recorded");
                return;
            }
        }
        String asyncProblem = asyncReturnProblem(method.returnType());
        if (asyncProblem == null && readOnly && AmbrosiaDotNames.REPLY_TYPES.contains(method.returnType().name())) {
            asyncProblem = "is @ReadOnly and returns " + method.returnType().name() + ": a read runs at once on the"
                    + " caller's thread; return the value itself";
        }
        if (asyncProblem != null) {
            problems.add(where + " " + asyncProblem);
            return;
        }
        for (int i = 0; i < (readOnly ? 0 : method.parametersCount()); i++) {
            String problem = serializable.problem(method.parameterType(i));
            if (problem != null) {
                String parameter = method.parameterName(i) == null ? "#" + i : "'" + method.parameterName(i) + "'";
                problems.add(where + " parameter " + parameter + " cannot be recorded in the log: " + problem);
            }
        }
        if (method.returnType().name().equals(AmbrosiaDotNames.JAXRS_RESPONSE)) {
            problems.add(where + " returns jakarta.ws.rs.core.Response, whose entity type is not known before it runs, so"
                    + " its outcome cannot be kept for retries and replays: return RestResponse<T>"
                    + " (org.jboss.resteasy.reactive.RestResponse) with the entity's type instead");
            return;
        }
        String problem = serializable.problem(resultType(method.returnType()));
        if (problem != null) {
            problems.add(where + " return type cannot be serialized: " + problem);
        }
    }

    /**
     * A keyed immortal (one whose methods take a {@code @Key}): every method names its key once, with a type whose text
     * is stable, and the class can be created once per key.
     */
    private void validateKeys(List<MethodInfo> methods) {
        String name = clazz.name().toString();
        var partitions = clazz.declaredAnnotation(AmbrosiaDotNames.IMMORTAL).value("partitions");
        int declared = partitions == null ? 0 : partitions.asInt();
        if (!isKeyed(methods)) {
            if (declared > 1) {
                problems.add("@Immortal " + name + " sets partitions = " + declared + " but none of its methods has a @Key"
                        + " parameter: a singleton immortal has one state and one partition; mark the parameter that"
                        + " names the key with @Key, or remove partitions");
            }
            return;
        }
        if (declared < 0 || declared > MAX_PARTITIONS) {
            problems.add("@Immortal " + name + " sets partitions = " + declared + ": give a count from 1 to "
                    + MAX_PARTITIONS + " (or 0 for the default, " + Immortal.DEFAULT_KEYED_PARTITIONS
                    + ")");
        }
        for (MethodInfo method : methods) {
            validateKey("@Immortal method " + name + "." + method.name() + "()", clazz.simpleName(), method, index,
                    problems);
        }
        for (MethodInfo constructor : clazz.constructors()) {
            if (constructor.hasDeclaredAnnotation(AmbrosiaDotNames.INJECT)) {
                problems.add("@Immortal " + name + " is keyed and has an @Inject constructor: a keyed immortal has one"
                        + " instance per key, created with its no-argument constructor; inject fields instead");
            }
        }
        if (clazz.constructors().stream().noneMatch(c -> c.parametersCount() == 0)) {
            problems.add("@Immortal " + name + " is keyed and has no no-argument constructor: a keyed immortal has one"
                    + " instance per key, created with it; add one");
        }
    }

    /**
     * A method of a keyed immortal (or of the published interface of one) names its key once, with a type whose text is
     * stable.
     *
     * @param where the method, as the problem names it
     * @param keyed the keyed immortal or interface it belongs to
     */
    static void validateKey(String where, String keyed, MethodInfo method, IndexView index, List<String> problems) {
        List<MethodParameterInfo> keys = method.parameters().stream()
                .filter(p -> p.hasDeclaredAnnotation(AmbrosiaDotNames.KEY)).toList();
        if (keys.isEmpty()) {
            problems.add(where + " has no @Key parameter, but " + keyed + " is keyed (other methods take a @Key):"
                    + " every method of a keyed immortal works on the state of one key; add the key as a parameter"
                    + " annotated @Key");
        } else if (keys.size() > 1) {
            problems.add(where + " has " + keys.size() + " @Key parameters (" + keys.stream()
                    .map(ImmortalValidator::parameterName).collect(Collectors.joining(", "))
                    + "): a call works on the state of one key; keep @Key on one of them");
        } else if (!stableText(keys.get(0).type(), index)) {
            problems.add(where + " @Key parameter " + parameterName(keys.get(0)) + " is a " + keys.get(0).type()
                    + ", which has no stable text form to route by: use a String, an integer type, a char, a"
                    + " boolean, a java.util.UUID or an enum");
        }
    }

    /** The most partitions a keyed immortal's log may have. */
    static final int MAX_PARTITIONS = 10_000;

    private static String parameterName(MethodParameterInfo parameter) {
        return parameter.name() == null ? "#" + parameter.position() : "'" + parameter.name() + "'";
    }

    private static boolean stableText(Type type, IndexView index) {
        if (type.kind() == Type.Kind.PRIMITIVE) {
            return switch (type.asPrimitiveType().primitive()) {
                case FLOAT, DOUBLE -> false;
                default -> true;
            };
        }
        if (type.kind() != Type.Kind.CLASS) {
            return false;
        }
        if (AmbrosiaDotNames.KEY_BOXES.contains(type.name()) || type.name().equals(AmbrosiaDotNames.UUID)) {
            return true;
        }
        ClassInfo keyClass = index.getClassByName(type.name());
        return keyClass != null && keyClass.isEnum();
    }

    /**
     * @return whether any of the methods takes a {@code @Key}: the immortal has one state per key
     */
    static boolean isKeyed(List<MethodInfo> methods) {
        return methods.stream().anyMatch(m -> keyParameter(m) >= 0);
    }

    /**
     * @return the position of the method's first {@code @Key} parameter, or -1
     */
    static int keyParameter(MethodInfo method) {
        for (var parameter : method.parameters()) {
            if (parameter.hasDeclaredAnnotation(AmbrosiaDotNames.KEY)) {
                return parameter.position();
            }
        }
        return -1;
    }

    /**
     * @return the partitions of the immortal's log: the declared count, or the default for a keyed immortal, or 1
     */
    static int partitions(ClassInfo clazz, boolean keyed) {
        var value = clazz.declaredAnnotation(AmbrosiaDotNames.IMMORTAL).value("partitions");
        int declared = value == null ? 0 : value.asInt();
        if (!keyed) {
            return 1;
        }
        return declared > 0 ? declared : Immortal.DEFAULT_KEYED_PARTITIONS;
    }

    /**
     * @return what is wrong with an asynchronous return type (one that is not a {@code Uni<T>} or
     *         {@code CompletionStage<T>} with its type argument), or {@code null}
     */
    static String asyncReturnProblem(Type returnType) {
        if (!AmbrosiaDotNames.ASYNC_TYPES.contains(returnType.name())) {
            return null;
        }
        if (!AmbrosiaDotNames.REPLY_TYPES.contains(returnType.name())) {
            return "returns " + returnType.name() + ", which cannot be recorded as one outcome: return the value, a"
                    + " Uni<T> or a CompletionStage<T>";
        }
        if (returnType.kind() != Type.Kind.PARAMETERIZED_TYPE) {
            return "returns a raw " + returnType.name() + ": give its type argument, e.g. Uni<Long>, so the result can"
                    + " be recorded";
        }
        return null;
    }

    /**
     * @return what a handler's result is recorded as: the value a {@code Uni<T>} or {@code CompletionStage<T>}
     *         completes with, the entity of a {@code RestResponse<T>}, else the value
     */
    static Type resultType(Type returnType) {
        if (AmbrosiaDotNames.REPLY_TYPES.contains(returnType.name())
                && returnType.kind() == Type.Kind.PARAMETERIZED_TYPE) {
            returnType = returnType.asParameterizedType().arguments().get(0);
        }
        if (returnType.name().equals(AmbrosiaDotNames.REST_RESPONSE)) {
            return returnType.kind() == Type.Kind.PARAMETERIZED_TYPE
                    ? returnType.asParameterizedType().arguments().get(0)
                    : ClassType.OBJECT_TYPE;
        }
        return returnType;
    }

    /**
     * @return whether the method is a REST endpoint: it has a JAX-RS HTTP method annotation
     */
    static boolean isEndpoint(MethodInfo method) {
        return method.annotations().stream()
                .anyMatch(a -> a.target() != null && a.target().kind() == org.jboss.jandex.AnnotationTarget.Kind.METHOD
                        && AmbrosiaDotNames.HTTP_METHODS.contains(a.name()));
    }

    /**
     * @return the business methods of the class and its superclasses, most specific first: the methods whose calls
     *         are logged (or, for {@code @ReadOnly} ones, served locally)
     */
    static List<MethodInfo> handlerMethods(ClassInfo clazz, IndexView index) {
        List<MethodInfo> methods = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ClassInfo k = clazz; k != null && !k.name().equals(AmbrosiaDotNames.OBJECT); k = superclass(k, index)) {
            for (MethodInfo method : k.methods()) {
                int flags = method.flags();
                if (method.isConstructor() || method.isStaticInitializer() || Modifier.isStatic(flags)
                        || Modifier.isPrivate(flags) || method.isSynthetic() || (flags & 0x40) != 0 // bridge
                        || method.hasDeclaredAnnotation(AmbrosiaDotNames.PRODUCES)
                        || method.hasDeclaredAnnotation(AmbrosiaDotNames.POST_CONSTRUCT)
                        || method.hasDeclaredAnnotation(AmbrosiaDotNames.PRE_DESTROY)) {
                    continue;
                }
                if (seen.add(AmbrosiaProcessor.signature(method))) {
                    methods.add(method);
                }
            }
        }
        return methods;
    }

    private ClassInfo superclass(ClassInfo k) {
        return superclass(k, index);
    }

    private static ClassInfo superclass(ClassInfo k, IndexView index) {
        return k.superName() == null ? null : index.getClassByName(k.superName());
    }
}
