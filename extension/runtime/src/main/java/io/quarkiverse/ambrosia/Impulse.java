package io.quarkiverse.ambrosia;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Marks a method of an {@link Immortal} that takes input from outside, typically a REST endpoint: with Quarkus REST
 * annotations ({@code @POST}, {@code @Path}, {@code @PathParam}...) the method <em>is</em> the endpoint. The HTTP layer
 * decodes, validates and authorizes the request; the call is then recorded in the immortal's log (with the caller's
 * principal) and answered once it has run. A request that fails decoding, validation or authorization is never
 * recorded.
 * <p>
 * Every method of an immortal that has a JAX-RS HTTP method annotation must be either {@code @Impulse} (recorded) or
 * {@link ReadOnly} (served from local state); the build says so otherwise.
 */
@Documented
@Retention(RUNTIME)
@Target(METHOD)
public @interface Impulse {
}
