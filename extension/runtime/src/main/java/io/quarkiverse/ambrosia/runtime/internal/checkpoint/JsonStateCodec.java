package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;

import io.quarkiverse.ambrosia.StateCodec;
import io.quarkus.arc.DefaultBean;

/**
 * The default {@link StateCodec}: the immortal's fields (not its getters), as a JSON object, with map entries and
 * properties sorted so that equal states give equal bytes. Injected fields and {@code transient} fields are not state.
 * <p>
 * A restore gives each field the concrete type it has in a fresh instance ({@link #encodeInitial} learns them): Jackson
 * alone would make a field declared {@code Map} and initialized with a {@code TreeMap} a {@code LinkedHashMap}, and a
 * replay after the restore would iterate it in another order than the original run.
 */
@DefaultBean
@Singleton
public class JsonStateCodec implements StateCodec {

    public static final String NAME = "json";

    private static final Logger LOG = Logger.getLogger(JsonStateCodec.class);

    private final ObjectMapper mapper;
    // state field -> the class of its value in a fresh instance, where Jackson would otherwise create another one
    private final Map<Field, Class<?>> freshTypes = new ConcurrentHashMap<>();

    @Inject
    public JsonStateCodec(Instance<ObjectMapper> applicationMapper) {
        this(applicationMapper.isResolvable() ? applicationMapper.get() : null);
    }

    /**
     * @param applicationMapper the application's mapper, whose modules the state may need, or {@code null}
     */
    public JsonStateCodec(ObjectMapper applicationMapper) {
        // a copy keeps the application's modules (java.time, records, ...) and lets the state use fields, not getters
        ObjectMapper base = applicationMapper != null ? applicationMapper.copy() : new ObjectMapper();
        base.setVisibility(PropertyAccessor.ALL, Visibility.NONE);
        base.setVisibility(PropertyAccessor.FIELD, Visibility.ANY);
        base.setVisibility(PropertyAccessor.CREATOR, Visibility.ANY);
        base.configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);
        base.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        base.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        base.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        // a field removed from the class leaves its old value in older checkpoints
        base.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        base.setAnnotationIntrospector(new StateIntrospector(freshTypes));
        this.mapper = base;
    }

    @Override
    public byte[] encode(Object immortal, Class<?> type) throws IOException {
        return mapper.writerFor(type).writeValueAsBytes(immortal);
    }

    @Override
    public byte[] encodeInitial(Object immortal, Class<?> type) throws IOException {
        byte[] state = encode(immortal, type);
        // before the first decode: Jackson caches the class's deserializer, built with the types known then
        learnFreshTypes(immortal, type);
        return state;
    }

    private void learnFreshTypes(Object immortal, Class<?> type) {
        BeanDescription description = mapper.getSerializationConfig().introspect(mapper.constructType(type));
        for (BeanPropertyDefinition property : description.findProperties()) {
            AnnotatedField field = property.getField();
            if (field == null) {
                continue;
            }
            field.fixAccess(true);
            Object value = field.getValue(immortal);
            Class<?> declared = field.getRawType();
            if (value == null || value.getClass() == declared) {
                continue;
            }
            if (creatable(value.getClass())) {
                freshTypes.put(field.getAnnotated(), value.getClass());
            } else {
                LOG.debugf("Immortal state field %s.%s starts as a %s, which cannot be created empty: a restore gives it"
                        + " the type Jackson chooses for %s", type.getName(), field.getName(), value.getClass().getName(),
                        declared.getName());
            }
        }
    }

    /**
     * @return whether Jackson can create the class to deserialize into it: public, concrete, with a public no-argument
     *         constructor (unlike {@code List.of()}'s or {@code Collections.unmodifiableMap}'s classes)
     */
    private static boolean creatable(Class<?> type) {
        int modifiers = type.getModifiers();
        if (!Modifier.isPublic(modifiers) || Modifier.isAbstract(modifiers)) {
            return false;
        }
        try {
            type.getConstructor();
            return true;
        } catch (NoSuchMethodException | SecurityException e) {
            return false;
        }
    }

    @Override
    public void decodeInto(byte[] data, Object immortal, Class<?> type) throws IOException {
        mapper.readerFor(type).withValueToUpdate(immortal).readValue(data);
    }

    /**
     * Injected fields belong to the container, not to the state; a state field is restored as the class a fresh
     * instance gives it.
     */
    private static final class StateIntrospector extends JacksonAnnotationIntrospector {

        private static final long serialVersionUID = 1L;

        private final Map<Field, Class<?>> freshTypes;

        public StateIntrospector(Map<Field, Class<?>> freshTypes) {
            this.freshTypes = freshTypes;
        }

        @Override
        public JavaType refineDeserializationType(MapperConfig<?> config, Annotated annotated, JavaType baseType)
                throws JsonMappingException {
            JavaType type = super.refineDeserializationType(config, annotated, baseType);
            if (type != baseType || !(annotated instanceof AnnotatedField field)) {
                // the field's own @JsonDeserialize(as = ...) wins
                return type;
            }
            Class<?> fresh = freshTypes.get(field.getAnnotated());
            if (fresh == null || !type.getRawClass().isAssignableFrom(fresh)) {
                return type;
            }
            // keeps the declared type arguments: Map<String, Set<String>> becomes TreeMap<String, Set<String>>
            return config.getTypeFactory().constructSpecializedType(type, fresh);
        }

        @Override
        public boolean hasIgnoreMarker(AnnotatedMember member) {
            return super.hasIgnoreMarker(member) || member.hasAnnotation(Inject.class)
                    || member.hasAnnotation(ConfigProperty.class);
        }
    }
}
