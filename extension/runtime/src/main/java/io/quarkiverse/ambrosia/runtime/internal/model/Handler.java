package io.quarkiverse.ambrosia.runtime.internal.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.invoke.Invoker;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.quarkiverse.ambrosia.runtime.internal.spi.ResultShape;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * One method of an immortal at runtime: how to encode its arguments into a log record, decode them back and invoke
 * it through its build-time generated invoker.
 */
public final class Handler {

    private static final String UNI = "io.smallrye.mutiny.Uni";

    /**
     * How a method hands back its result.
     */
    public enum Returns {
        /** the value itself */
        VALUE,
        /** nothing: a call to it from another immortal is a fork */
        VOID,
        /** a {@code Uni} of the value */
        UNI,
        /** a {@code CompletionStage} of the value */
        COMPLETION_STAGE;

        public boolean async() {
            return this == UNI || this == COMPLETION_STAGE;
        }
    }

    public final HandlerDefinition definition;
    public final String qualifiedName;
    private final ObjectMapper mapper;
    private final Invoker<Object, Object> invoker;
    private final ObjectReader[] argumentReaders;
    private final ObjectWriter[] argumentWriters;
    // the result's shape, if it is more than its value (a RestResponse), else null
    private final ResultShape shape;
    private final ObjectReader resultReader;
    private final ObjectWriter resultWriter;
    private final boolean copyResult;
    public final Returns returns;

    /**
     * @param shape the shape of results that are more than their value (an HTTP response), or {@code null} without
     *        such a type (no REST)
     */
    public Handler(String immortal, HandlerDefinition definition, Invoker<Object, Object> invoker, ObjectMapper mapper,
            ResultShape shape) {
        this.definition = definition;
        this.qualifiedName = immortal + "." + definition.getMethodName();
        this.mapper = mapper;
        this.invoker = invoker;
        int count = definition.getParameterTypes().size();
        this.argumentReaders = new ObjectReader[count];
        this.argumentWriters = new ObjectWriter[count];
        for (int i = 0; i < count; i++) {
            JavaType type = JavaTypes.resolve(mapper.getTypeFactory(), definition.getParameterTypes().get(i));
            argumentReaders[i] = mapper.readerFor(type);
            argumentWriters[i] = mapper.writerFor(type);
        }
        JavaType declared = JavaTypes.resolve(mapper.getTypeFactory(), definition.getReturnType());
        String raw = declared.getRawClass().getName();
        this.returns = declared.getRawClass() == void.class || declared.getRawClass() == Void.class
                ? Returns.VOID
                : raw.equals(UNI)
                        ? Returns.UNI
                        : raw.equals(java.util.concurrent.CompletionStage.class.getName())
                                || raw.equals(java.util.concurrent.CompletableFuture.class.getName())
                                        ? Returns.COMPLETION_STAGE
                                        : Returns.VALUE;
        // an asynchronous method's result is the value its Uni or CompletionStage completes with
        JavaType returnType = returns.async() ? declared.containedTypeOrUnknown(0) : declared;
        this.shape = shape != null && returnType.getRawClass().getName().equals(shape.type()) ? shape : null;
        // a RestResponse<T> is kept as its status, headers and entity: the entity is what is written as JSON
        JavaType resultType = this.shape != null ? returnType.containedTypeOrUnknown(0) : returnType;
        this.resultReader = mapper.readerFor(resultType);
        this.resultWriter = mapper.writerFor(resultType);
        this.copyResult = this.shape != null || !JavaTypes.isImmutable(resultType);
    }

    public boolean readOnly() {
        return definition.isReadOnly();
    }

    /**
     * Runs the method: on the immortal's bean (a singleton's invoker looks it up and ignores {@code instance}), or on
     * one key's instance of a keyed immortal.
     */
    public Object invoke(Object instance, Object[] arguments) throws Exception {
        return invoker.invoke(instance, arguments);
    }

    /**
     * @return whether the method belongs to a keyed immortal: it takes a {@code @Key}
     */
    public boolean keyed() {
        return definition.getKeyParameter() >= 0;
    }

    /**
     * @return the text of the call's {@code @Key} argument, which routes it and names its state
     * @throws IllegalArgumentException if the key is {@code null}
     */
    public String keyOf(Object[] arguments) {
        Object key = arguments[definition.getKeyParameter()];
        if (key == null) {
            throw new IllegalArgumentException("The @Key argument '" + parameterName(definition.getKeyParameter())
                    + "' of " + qualifiedName + " is null: a call to a keyed immortal names the key it works on");
        }
        return key instanceof Enum<?> constant ? constant.name() : key.toString();
    }

    /**
     * @return the target header of a call to this method from another immortal: its signature, which names one
     *         method even where the caller's interface and the callee's class overload it differently
     */
    public String callTarget(String immortal) {
        return Envelope.target(immortal, definition.getSignature());
    }

    public byte[] encodeArguments(Object[] arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        int i = 0;
        try (JsonGenerator generator = mapper.createGenerator(out)) {
            generator.writeStartArray();
            for (; i < argumentWriters.length; i++) {
                argumentWriters[i].writeValue(generator, arguments[i]);
            }
            generator.writeEndArray();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Argument '" + parameterName(i) + "' of " + qualifiedName
                    + " cannot be serialized to JSON for the log: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * @throws IllegalArgumentException naming the argument, if the payload does not fit the method's parameters
     */
    public Object[] decodeArguments(byte[] payload) {
        Object[] arguments = new Object[argumentReaders.length];
        int i = 0;
        try (JsonParser parser = mapper.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("the arguments of " + qualifiedName + " must be a JSON array");
            }
            for (; i < argumentReaders.length; i++) {
                if (parser.nextToken() == JsonToken.END_ARRAY) {
                    throw new IllegalArgumentException(qualifiedName + " takes " + argumentReaders.length
                            + " arguments, the record has " + i);
                }
                arguments[i] = argumentReaders[i].readValue(parser);
            }
            if (parser.nextToken() != JsonToken.END_ARRAY) {
                throw new IllegalArgumentException(qualifiedName + " takes " + argumentReaders.length
                        + " arguments, the record has more");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("argument '" + parameterName(i) + "' of " + qualifiedName
                    + " cannot be decoded: "
                    + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()), e);
        }
        return arguments;
    }

    /**
     * A result leaves the dispatcher as a copy unless it is immutable, so a caller can never modify the immortal's
     * state outside the log, nor see it change under its feet.
     */
    public Object copyResult(Object result) throws IOException {
        if (result == null || !copyResult) {
            return result;
        }
        if (shape != null) {
            return shape.rebuild(shape.status(result), shape.headers(result), copyValue(shape.entity(result)));
        }
        return copyValue(result);
    }

    private Object copyValue(Object value) throws IOException {
        return value == null ? null : resultReader.readValue(resultWriter.writeValueAsBytes(value));
    }

    /**
     * @return the result as kept with a keyed call's outcome: its JSON, and for a {@code RestResponse} its status and
     *         headers
     */
    public Result encodeResult(Object result) throws IOException {
        if (shape != null && result != null) {
            Object entity = shape.entity(result);
            return new Result(entity == null ? null : resultWriter.writeValueAsBytes(entity), shape.status(result),
                    shape.headers(result));
        }
        return new Result(resultWriter.writeValueAsBytes(result), null, null);
    }

    public Object decodeResult(byte[] json, Integer status, Map<String, List<String>> headers) throws IOException {
        Object value = json == null ? null : resultReader.readValue(json);
        if (shape != null && status != null) {
            return shape.rebuild(status, headers, value);
        }
        return value;
    }

    /**
     * A result as kept: JSON, plus the status and headers of a {@code RestResponse} (else {@code null}).
     */
    public record Result(byte[] json, Integer status, Map<String, List<String>> headers) {
    }

    private String parameterName(int i) {
        return i < definition.getParameterNames().size() ? definition.getParameterNames().get(i) : "#" + i;
    }
}
