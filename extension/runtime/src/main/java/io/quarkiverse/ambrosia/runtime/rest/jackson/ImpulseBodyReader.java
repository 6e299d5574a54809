package io.quarkiverse.ambrosia.runtime.rest.jackson;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyReader;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkiverse.ambrosia.runtime.AmbrosiaConfig;
import io.quarkiverse.ambrosia.runtime.rest.ImmortalEndpoints;
import io.quarkiverse.ambrosia.runtime.rest.UndecodableRequests;
import io.quarkus.arc.Arc;

/**
 * Reads the JSON body of an immortal's endpoints, where what is decoded is recorded as the call's argument: a missing
 * body is refused instead of passed on as nothing, a body that is not JSON is told apart from JSON of the wrong shape
 * (Jackson reports {@code {} for a {@code long} before it reaches the syntax error), and an {@code @Impulse} body is
 * read {@linkplain StrictMapper strictly} unless {@code quarkus.ambrosia.http.strict-body=false}. Every other endpoint
 * is left to Quarkus REST Jackson, with the application's settings.
 */
public class ImpulseBodyReader implements ServerMessageBodyReader<Object> {

    private volatile ObjectMapper application;
    private volatile ObjectMapper strict;
    private volatile Boolean strictBody;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo resource,
            MediaType mediaType) {
        return isJson(mediaType) && ImmortalEndpoints.of(resource) != null;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        // without the resource method it cannot tell an immortal's endpoint: left to Quarkus REST Jackson
        return false;
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, MediaType mediaType, ServerRequestContext context)
            throws IOException {
        return read(ImmortalEndpoints.of(context), genericType, context.getInputStream());
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        // through a reader interceptor: the request being served is the current one
        return read(ImmortalEndpoints.of(CurrentRequestManager.get()), genericType, body);
    }

    private Object read(ImmortalEndpoints.Endpoint endpoint, Type type, InputStream body) throws IOException {
        byte[] json = body.readAllBytes();
        if (isBlank(json)) {
            throw new WebApplicationException(UndecodableRequests.missingBody(endpoint));
        }
        boolean strict = endpoint.impulse() && strictBody();
        ObjectMapper mapper = strict ? strictMapper() : applicationMapper();
        try {
            JsonToken first = checkSyntax(mapper, json);
            if (strict && first == JsonToken.VALUE_NULL && type instanceof Class<?> declared && declared.isPrimitive()) {
                try (JsonParser parser = mapper.createParser(json)) {
                    parser.nextToken();
                    throw MismatchedInputException.from(parser, declared, "Cannot map `null` into type `" + declared
                            + "`: send a value, or declare the parameter with a wrapper type to accept null");
                }
            }
            return mapper.readerFor(mapper.constructType(type)).readValue(json);
        } catch (MismatchedInputException e) {
            // answered by the application's mapper for it if it has one, else with a problem naming the field
            throw e;
        } catch (JsonProcessingException e) {
            throw new WebApplicationException(e, Response.Status.BAD_REQUEST);
        }
    }

    /**
     * Reads every token first, so that a body that is not JSON is reported as such wherever its error is.
     */
    private static JsonToken checkSyntax(ObjectMapper mapper, byte[] json) throws IOException {
        try (JsonParser parser = mapper.createParser(json)) {
            JsonToken first = parser.nextToken();
            while (parser.nextToken() != null) {
                // only the syntax is checked here
            }
            return first;
        }
    }

    private static boolean isBlank(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static boolean isJson(MediaType mediaType) {
        return mediaType != null && "application".equalsIgnoreCase(mediaType.getType())
                && ("json".equalsIgnoreCase(mediaType.getSubtype())
                        || mediaType.getSubtype().toLowerCase().endsWith("+json"));
    }

    private boolean strictBody() {
        Boolean current = strictBody;
        if (current == null) {
            current = Arc.container().instance(AmbrosiaConfig.class).get().http().strictBody();
            strictBody = current;
        }
        return current;
    }

    private ObjectMapper applicationMapper() {
        ObjectMapper current = application;
        if (current == null) {
            current = Arc.container().instance(ObjectMapper.class).get();
            application = current;
        }
        return current;
    }

    private ObjectMapper strictMapper() {
        ObjectMapper current = strict;
        if (current == null) {
            current = StrictMapper.of(applicationMapper());
            strict = current;
        }
        return current;
    }
}
