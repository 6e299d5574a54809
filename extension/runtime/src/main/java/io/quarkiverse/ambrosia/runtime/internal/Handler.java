package io.quarkiverse.ambrosia.runtime.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import jakarta.enterprise.invoke.Invoker;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * One method of an immortal at runtime: how to encode its arguments into a log record, decode them back and invoke
 * it through its build-time generated invoker.
 */
final class Handler {

    final HandlerDefinition definition;
    final String qualifiedName;
    private final ObjectMapper mapper;
    private final Invoker<Object, Object> invoker;
    private final ObjectReader[] argumentReaders;
    private final ObjectWriter[] argumentWriters;
    private final JavaType returnType;
    private final ObjectReader resultReader;
    private final ObjectWriter resultWriter;
    private final boolean copyResult;

    Handler(String immortal, HandlerDefinition definition, Invoker<Object, Object> invoker, ObjectMapper mapper) {
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
        this.returnType = JavaTypes.resolve(mapper.getTypeFactory(), definition.getReturnType());
        this.resultReader = mapper.readerFor(returnType);
        this.resultWriter = mapper.writerFor(returnType);
        this.copyResult = !JavaTypes.isImmutable(returnType);
    }

    boolean readOnly() {
        return definition.isReadOnly();
    }

    Object invoke(Object[] arguments) throws Exception {
        return invoker.invoke(null, arguments);
    }

    byte[] encodeArguments(Object[] arguments) {
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
    Object[] decodeArguments(byte[] payload) {
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
    Object copyResult(Object result) throws IOException {
        if (result == null || !copyResult) {
            return result;
        }
        return resultReader.readValue(resultWriter.writeValueAsBytes(result));
    }

    byte[] encodeResult(Object result) throws IOException {
        return resultWriter.writeValueAsBytes(result);
    }

    Object decodeResult(byte[] json) throws IOException {
        return json == null ? null : resultReader.readValue(json);
    }

    private String parameterName(int i) {
        return i < definition.getParameterNames().size() ? definition.getParameterNames().get(i) : "#" + i;
    }
}
