package io.quarkiverse.ambrosia.deployment.between;

import java.util.concurrent.CompletionStage;

import io.quarkiverse.ambrosia.ImmortalInterface;

/**
 * An immortal that does not exist anywhere: no topic.
 */
@ImmortalInterface("Nobody")
public interface Nobody {

    CompletionStage<String> ping(String message);

    void fire(String message);
}
