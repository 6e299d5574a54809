package io.quarkiverse.ambrosia.runtime.internal.model;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;

/**
 * Resolves the canonical type names written at build time into Jackson types, without reflection on the methods.
 */
public final class JavaTypes {

    private JavaTypes() {
    }

    public static JavaType resolve(TypeFactory factory, String canonical) {
        if (canonical.endsWith("[]")) {
            return factory.constructArrayType(resolve(factory, canonical.substring(0, canonical.length() - 2)));
        }
        return switch (canonical) {
            case "boolean" -> factory.constructType(boolean.class);
            case "byte" -> factory.constructType(byte.class);
            case "short" -> factory.constructType(short.class);
            case "char" -> factory.constructType(char.class);
            case "int" -> factory.constructType(int.class);
            case "long" -> factory.constructType(long.class);
            case "float" -> factory.constructType(float.class);
            case "double" -> factory.constructType(double.class);
            case "void" -> factory.constructType(Void.class);
            default -> factory.constructFromCanonical(canonical);
        };
    }

    /**
     * @return whether values of the type can be handed from the dispatcher to a caller as they are: immutable, so the
     *         caller cannot reach into the immortal's state through them
     */
    public static boolean isImmutable(JavaType type) {
        Class<?> raw = type.getRawClass();
        return raw.isPrimitive() || raw.isEnum() || raw == String.class || raw == Void.class || raw == Boolean.class
                || raw == Character.class || raw == Byte.class || raw == Short.class || raw == Integer.class
                || raw == Long.class || raw == Float.class || raw == Double.class
                || raw == java.math.BigDecimal.class || raw == java.math.BigInteger.class
                || raw == java.util.UUID.class || raw.getName().startsWith("java.time.");
    }
}
