package io.quarkiverse.ambrosia.runtime.security;

import java.util.concurrent.Callable;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.ambrosia.runtime.internal.spi.CallScope;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.security.identity.CurrentIdentityAssociation;

/**
 * Runs a handler as the caller recorded with its call. Authorization happened when the call was recorded, so security
 * checks met again on the dispatcher (the method's {@code @RolesAllowed}) pass, on replay too, whatever the roles are
 * by then.
 */
@Singleton
public class RecordedCallScope implements CallScope {

    @Inject
    CurrentIdentityAssociation identities;

    @Override
    public Object run(String principal, Callable<Object> handler) throws Exception {
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            identities.setIdentity(new RecordedIdentity(principal));
            return handler.call();
        } finally {
            requestContext.terminate();
        }
    }
}
