package io.quarkiverse.ambrosia;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Marks a method of an {@link Immortal} that only reads its state. The call is not logged: it runs on the immortal's
 * dispatcher between two logged calls, so it sees a consistent state, namely the state after the last call processed
 * by this instance. It must not modify the state: a change made here is not in the log and would be lost on recovery.
 */
@Documented
@Retention(RUNTIME)
@Target(METHOD)
public @interface ReadOnly {
}
