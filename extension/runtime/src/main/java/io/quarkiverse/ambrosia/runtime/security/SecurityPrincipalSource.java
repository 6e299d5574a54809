package io.quarkiverse.ambrosia.runtime.security;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.ambrosia.runtime.internal.spi.PrincipalSource;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The principal of the current request's security identity. Registered only when Quarkus security is present.
 */
@Singleton
public class SecurityPrincipalSource implements PrincipalSource {

    @Inject
    CurrentIdentityAssociation identities;

    @Override
    public String currentPrincipal() {
        // a scheduled method or a background thread has no request, hence no identity
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        SecurityIdentity identity = identities.getIdentity();
        return identity == null || identity.isAnonymous() ? null : identity.getPrincipal().getName();
    }
}
