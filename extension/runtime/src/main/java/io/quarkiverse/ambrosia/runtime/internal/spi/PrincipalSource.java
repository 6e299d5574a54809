package io.quarkiverse.ambrosia.runtime.internal.spi;

/**
 * Who is making a call, to be recorded with it. Provided when the application has Quarkus security.
 */
public interface PrincipalSource {

    /**
     * @return the authenticated caller's name, or {@code null} for an anonymous caller or outside a request
     */
    public String currentPrincipal();
}
