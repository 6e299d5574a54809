package io.quarkiverse.ambrosia.runtime.scheduler;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.task.LocalImmortal;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * A {@code @Scheduled} method of an immortal is a timer impulse: it is recorded only by the instance where the
 * immortal is live. While it recovers (replays), stands by, or is fenced by a newer instance, the timer skips, so a
 * timer never fires twice for the same tick across instances, nor during a replay.
 */
@Singleton
public class SkipUnlessLive implements Scheduled.SkipPredicate {

    private static final Logger LOG = Logger.getLogger(SkipUnlessLive.class);

    @Inject
    ImmortalRuntime runtime;

    @Override
    public boolean test(ScheduledExecution execution) {
        String method = execution.getTrigger().getMethodDescription();
        int hash = method == null ? -1 : method.indexOf('#');
        LocalImmortal immortal = hash < 0 ? null : runtime.immortalOfClassName(method.substring(0, hash));
        if (immortal == null || immortal.isLive()) {
            return false;
        }
        LOG.debugf("Skipped the timer impulse %s: immortal %s is %s here", method, immortal.name(),
                immortal.describeStatus());
        return true;
    }
}
