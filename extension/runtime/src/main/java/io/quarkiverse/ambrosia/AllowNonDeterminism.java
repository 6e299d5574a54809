package io.quarkiverse.ambrosia;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Turns off the build-time determinism check for a method of an {@link Immortal}, or for all its methods.
 * <p>
 * The build rejects handlers that read the clock, draw random numbers, create threads or do network I/O, because a
 * replay would see other values and reach another state. Use this only where the value does not influence the state
 * or the result (for example, timing a handler for a log line), and say why.
 */
@Documented
@Retention(RUNTIME)
@Target({METHOD, TYPE})
public @interface AllowNonDeterminism {

    /**
     * @return why the non-deterministic call cannot change the state or the result
     */
    String value();
}
