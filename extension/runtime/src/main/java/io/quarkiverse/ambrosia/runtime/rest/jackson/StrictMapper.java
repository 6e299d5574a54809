package io.quarkiverse.ambrosia.runtime.rest.jackson;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The application's Jackson settings (modules, naming, unknown properties...) without the coercions that would record
 * a value the client did not send: {@code "100"} or {@code 1.5} for a {@code long},
 * {@code 1} for a boolean, {@code 5} for a string, {@code 5} for a list or {@code [5]} for a number, {@code ""} for
 * an object, trailing content after the value.
 */
final class StrictMapper {

    private static final Class<?>[] PRIMITIVES = {boolean.class, byte.class, short.class, int.class, long.class, float.class,
            double.class, char.class};

    private StrictMapper() {
    }

    static ObjectMapper of(ObjectMapper application) {
        ObjectMapper mapper = application.copy();
        // not FAIL_ON_NULL_FOR_PRIMITIVES (nor a null handling of FAIL for primitives): Jackson would refuse a missing
        // record component too, where it gets its default like any other; a null body is checked by the reader
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS, DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
                DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Float,
                CoercionInputShape.Boolean, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        for (LogicalType type : new LogicalType[]{LogicalType.POJO, LogicalType.Map, LogicalType.Collection,
                LogicalType.Enum, LogicalType.DateTime, LogicalType.OtherScalar}) {
            refuse(mapper, type, CoercionInputShape.EmptyString);
        }
        return mapper;
    }

    private static void refuse(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
        }
    }
}
