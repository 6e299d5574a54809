package io.quarkiverse.ambrosia;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The published interface of an {@link Immortal}, through which immortals in other applications call it.
 * <p>
 * The service that owns the immortal publishes the interface (for example in a small API module) and its
 * {@code @Immortal} class implements it. A service that calls it depends on the interface and injects it: when no
 * {@code @Immortal} of its own implements the interface, the build generates a client bean for it. A method called
 * from a handler of an immortal is recorded in the target's log in the caller's processing transaction, exactly
 * once:
 * <ul>
 * <li>a {@code void} method is a <em>fork</em>: sent, never answered;</li>
 * <li>a method returning {@code Uni<T>} or {@code CompletionStage<T>} is answered through the caller's own log; the
 * continuation runs on the caller's dispatcher, and a replay runs it again with the same reply.</li>
 * </ul>
 * Other return types are a build error: a handler cannot wait for a reply that only its own dispatcher can
 * deliver. The target is found by name: its log is the topic {@code <quarkus.ambrosia.topic-prefix><value>} of the
 * Kafka cluster both applications use, so they must share the topic prefix.
 */
@Documented
@Retention(RUNTIME)
@Target(TYPE)
public @interface ImmortalInterface {

    /**
     * @return the name of the immortal that implements this interface (its {@link Immortal#name()}); defaults to the
     *         interface's simple name
     */
    String value() default "";
}
