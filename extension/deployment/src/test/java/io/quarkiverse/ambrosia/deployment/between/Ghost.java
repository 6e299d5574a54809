package io.quarkiverse.ambrosia.deployment.between;

import io.quarkiverse.ambrosia.ImmortalInterface;
import io.smallrye.mutiny.Uni;

/**
 * An immortal of another service whose log exists but which never runs (nothing consumes its topic): its calls time
 * out.
 */
@ImmortalInterface("Ghost")
public interface Ghost {

    Uni<String> ping(String message);
}
