package io.quarkiverse.ambrosia.runtime.internal.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.KafkaConsumer;

import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.DispatcherThread;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalType;

/**
 * The dispatcher threads that run one immortal's partitions on this instance: one for a singleton, up to
 * {@code dispatcher.threads} (and no more than it has partitions) for a keyed immortal, created as partitions come.
 */
final class DispatcherPool {

    private final ImmortalType type;
    private final ImmortalRuntime runtime;
    private final String group;
    private final int max;
    private final List<DispatcherThread> threads = new ArrayList<>();
    private final AtomicInteger consumerIds = new AtomicInteger();

    DispatcherPool(ImmortalType type, ImmortalRuntime runtime, String group) {
        this.type = type;
        this.runtime = runtime;
        this.group = group;
        this.max = type.keyed()
                ? Math.max(1, Math.min(type.partitions(),
                        runtime.config().dispatcher().threads().orElse(Runtime.getRuntime().availableProcessors())))
                : 1;
    }

    /**
     * @return the dispatcher thread to run one more partition: an idle one, a new one while there are fewer than
     *         allowed, else the one running the fewest
     */
    synchronized DispatcherThread next() {
        DispatcherThread least = null;
        for (DispatcherThread d : threads) {
            if (least == null || d.hosted() < least.hosted()) {
                least = d;
            }
        }
        if (least != null && (least.hosted() == 0 || threads.size() >= max)) {
            return least;
        }
        String name = type.keyed() ? type.name() + "-" + threads.size() : type.name();
        DispatcherThread created = new DispatcherThread(name, () -> new KafkaConsumer<>(runtime.clients()
                .consumer("ambrosia-" + name + "-" + consumerIds.incrementAndGet(), group,
                        runtime.config().dispatcher().maxBatch())));
        created.start();
        threads.add(created);
        return created;
    }

    synchronized void stop() {
        threads.forEach(DispatcherThread::stop);
    }
}
