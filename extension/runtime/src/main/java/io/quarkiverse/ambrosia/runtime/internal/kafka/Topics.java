package io.quarkiverse.ambrosia.runtime.internal.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * Creates the topics of an immortal, with the retention that recovery needs and the broker's time on the log.
 */
public final class Topics {

    private static final Logger LOG = Logger.getLogger(Topics.class);
    private static final String LOG_APPEND_TIME = "LogAppendTime";

    private Topics() {
    }

    /**
     * Creates an immortal's topics if missing and waits until every partition has a leader: producing right after
     * {@code createTopics} can otherwise stall an idempotent producer. The log gets the broker's append time as its
     * records' timestamps ({@link LogClock} bounds the writers' {@code logged-at} by it); a log that exists with the
     * writers' time is altered, or, when that is refused, reported.
     */
    public static void ensure(Admin admin, String immortal, String log, String checkpoints, int partitions,
            Optional<Short> replicationFactor, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = List.of(log, checkpoints);
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            NewTopic topic = new NewTopic(name, Optional.of(partitions), replicationFactor);
            // recovery needs every record after the oldest kept checkpoint: Kafka must never expire them on its own;
            // the extension trims what recovery no longer needs (quarkus.ambrosia.log.trim)
            Map<String, String> configs = new HashMap<>(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                    TopicConfig.RETENTION_BYTES_CONFIG, "-1", TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_DELETE));
            if (name.equals(log)) {
                configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, LOG_APPEND_TIME);
            }
            topics.add(topic.configs(configs));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean logCreated = false;
        for (var entry : admin.createTopics(topics).values().entrySet()) {
            try {
                entry.getValue().get(remaining(deadline), TimeUnit.NANOSECONDS);
                logCreated |= entry.getKey().equals(log);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        if (!logCreated) {
            ensureAppendTime(admin, log, deadline);
        }
        while (!allHaveLeaders(admin, immortal, names, partitions, deadline)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("The partitions of " + names + " have no leader after " + timeout);
            }
            // no event tells when a leader is elected: metadata has to be polled
            Thread.sleep(50);
        }
    }

    private static void ensureAppendTime(Admin admin, String log, long deadline)
            throws InterruptedException, TimeoutException {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, log);
        String was = "unknown";
        try {
            ConfigEntry type = admin.describeConfigs(List.of(topic)).all().get(remaining(deadline), TimeUnit.NANOSECONDS)
                    .get(topic).get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
            if (type != null && LOG_APPEND_TIME.equals(type.value())) {
                return;
            }
            was = type == null ? "unset" : type.value();
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, LOG_APPEND_TIME), AlterConfigOp.OpType.SET))))
                    .all().get(remaining(deadline), TimeUnit.NANOSECONDS);
            LOG.infof("Topic %s had %s=%s: set to %s, so that logged times are bounded by the broker's clock (records"
                    + " appended before keep the timestamps their writers gave them)", log,
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, was, LOG_APPEND_TIME);
        } catch (ExecutionException e) {
            LOG.warnf("Topic %s has %s=%s and it cannot be changed (%s): its record timestamps are chosen by whoever"
                    + " writes it, so they alone bound logged-at (Immortals.now(), the idempotency window); set it with"
                    + " kafka-configs.sh --alter --entity-type topics --entity-name %s --add-config %s=%s", log,
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, was, e.getCause(), log,
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, LOG_APPEND_TIME);
        }
    }

    private static boolean allHaveLeaders(Admin admin, String immortal, List<String> names, int partitions,
            long deadline) throws InterruptedException, ExecutionException, TimeoutException {
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
            if (description.partitions().size() != partitions) {
                throw new PartitionCountMismatchException(immortal, description.name(), description.partitions().size(),
                        partitions);
            }
            for (TopicPartitionInfo partition : description.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * An immortal's topic exists with another partition count than the immortal declares: its keys would map to other
     * partitions than the records already written, so the immortal does not start.
     */
    public static final class PartitionCountMismatchException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        PartitionCountMismatchException(String immortal, String topic, int existing, int declared) {
            super("topic " + topic + " has " + existing + " partition" + (existing == 1 ? "" : "s") + " but immortal "
                    + immortal + " declares " + declared + ": a key's partition is murmur2(key) mod the partition"
                    + " count, so the records already written would belong to other partitions. Keep @Immortal(partitions"
                    + " = " + existing + "), or move to a new immortal name (a new log) with " + declared
                    + " partitions", null, false, false);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }
}
