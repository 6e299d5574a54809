package io.quarkiverse.ambrosia.deployment;

import org.jboss.jandex.ArrayType;
import org.jboss.jandex.ParameterizedType;
import org.jboss.jandex.Type;

/**
 * Writes Jandex types in the canonical syntax Jackson's {@code TypeFactory.constructFromCanonical} reads at runtime,
 * so the runtime needs no reflection on the immortal's methods.
 */
final class CanonicalTypes {

    private CanonicalTypes() {
    }

    static String of(Type type) {
        return switch (type.kind()) {
            case VOID -> "void";
            case PRIMITIVE, CLASS -> type.name().toString();
            case ARRAY -> {
                ArrayType array = type.asArrayType();
                yield of(array.elementType()) + "[]".repeat(array.deepDimensions());
            }
            case PARAMETERIZED_TYPE -> {
                ParameterizedType parameterized = type.asParameterizedType();
                StringBuilder name = new StringBuilder(parameterized.name().toString()).append('<');
                for (int i = 0; i < parameterized.arguments().size(); i++) {
                    if (i > 0) {
                        name.append(',');
                    }
                    name.append(of(parameterized.arguments().get(i)));
                }
                yield name.append('>').toString();
            }
            case TYPE_VARIABLE -> type.asTypeVariable().bounds().isEmpty()
                    ? "java.lang.Object"
                    : of(type.asTypeVariable().bounds().get(0));
            case WILDCARD_TYPE -> of(type.asWildcardType().extendsBound());
            default -> "java.lang.Object";
        };
    }
}
