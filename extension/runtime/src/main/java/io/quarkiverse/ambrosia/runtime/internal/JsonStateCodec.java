package io.quarkiverse.ambrosia.runtime.internal;

import java.io.IOException;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;

import io.quarkiverse.ambrosia.StateCodec;
import io.quarkus.arc.DefaultBean;

/**
 * The default {@link StateCodec}: the immortal's fields (not its getters), as a JSON object, with map entries and
 * properties sorted so that equal states give equal bytes. Injected fields and {@code transient} fields are not state.
 */
@DefaultBean
@Singleton
public class JsonStateCodec implements StateCodec {

    public static final String NAME = "json";

    private final ObjectMapper mapper;

    @Inject
    public JsonStateCodec(Instance<ObjectMapper> applicationMapper) {
        // a copy keeps the application's modules (java.time, records, ...) and lets the state use fields, not getters
        ObjectMapper base = applicationMapper.isResolvable() ? applicationMapper.get().copy() : new ObjectMapper();
        base.setVisibility(PropertyAccessor.ALL, Visibility.NONE);
        base.setVisibility(PropertyAccessor.FIELD, Visibility.ANY);
        base.setVisibility(PropertyAccessor.CREATOR, Visibility.ANY);
        base.configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);
        base.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        base.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        base.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        // a field removed from the class leaves its old value in older checkpoints
        base.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        base.setAnnotationIntrospector(new StateIntrospector());
        this.mapper = base;
    }

    @Override
    public byte[] encode(Object immortal, Class<?> type) throws IOException {
        return mapper.writerFor(type).writeValueAsBytes(immortal);
    }

    @Override
    public void decodeInto(byte[] data, Object immortal, Class<?> type) throws IOException {
        mapper.readerFor(type).withValueToUpdate(immortal).readValue(data);
    }

    /**
     * Injected fields belong to the container, not to the state.
     */
    private static final class StateIntrospector extends JacksonAnnotationIntrospector {

        private static final long serialVersionUID = 1L;

        @Override
        public boolean hasIgnoreMarker(AnnotatedMember member) {
            return super.hasIgnoreMarker(member) || member.hasAnnotation(Inject.class)
                    || member.hasAnnotation(ConfigProperty.class);
        }
    }
}
