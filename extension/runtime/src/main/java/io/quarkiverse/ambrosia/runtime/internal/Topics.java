package io.quarkiverse.ambrosia.runtime.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics of an immortal, with the retention that recovery needs.
 */
final class Topics {

    private Topics() {
    }

    /**
     * Creates the topics if missing and waits until every partition has a leader: producing right after
     * {@code createTopics} can otherwise stall an idempotent producer.
     */
    static void ensure(Admin admin, List<String> names, Optional<Short> replicationFactor, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            NewTopic topic = new NewTopic(name, Optional.of(1), replicationFactor);
            // recovery needs every record after the oldest kept checkpoint: Kafka must never expire them on its own;
            // the extension trims what recovery no longer needs (quarkus.ambrosia.log.trim)
            topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
            topics.add(topic);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var entry : admin.createTopics(topics).values().entrySet()) {
            try {
                entry.getValue().get(remaining(deadline), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        while (!allHaveLeaders(admin, names, deadline)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("The partitions of " + names + " have no leader after " + timeout);
            }
            // no event tells when a leader is elected: metadata has to be polled
            Thread.sleep(50);
        }
    }

    private static boolean allHaveLeaders(Admin admin, List<String> names, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = admin.describeTopics(names).allTopicNames().get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
        for (TopicDescription description : descriptions.values()) {
            for (TopicPartitionInfo partition : description.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }
}
