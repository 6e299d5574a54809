package io.quarkiverse.ambrosia;

import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Marks the parameter of an {@link Immortal}'s method that names the key whose state the call works on: the immortal
 * is then <em>keyed</em>, one logical instance per key, like a virtual actor. Each key has its own state (a fresh
 * instance of the class on its first call), and its calls are appended to partition {@code partition(key)} of the
 * log and run, in log order, by whichever application instance owns that partition.
 * <p>
 * Rules, checked at build time: in a keyed immortal every method (logged or {@link ReadOnly}) has exactly one
 * {@code @Key} parameter, of a type with a stable text form: {@code String}, an integer type ({@code int},
 * {@code long}, {@code short}, {@code byte} or their boxes), {@code char}, {@code boolean}, {@code java.util.UUID} or
 * an enum. The key's text is what routes the call: the record key in the log is its UTF-8 bytes.
 */
@Documented
@Retention(RUNTIME)
@Target(PARAMETER)
public @interface Key {
}
