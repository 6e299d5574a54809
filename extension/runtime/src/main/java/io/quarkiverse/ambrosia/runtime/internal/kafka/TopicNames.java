package io.quarkiverse.ambrosia.runtime.internal.kafka;

import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka names of one immortal: its log topic, its checkpoint topic, its consumer group, and for each partition of
 * its log the transactional id of the task that processes it. Every name that depends on a partition takes it as a
 * parameter; an immortal has one partition today.
 */
public final class TopicNames {

    /**
     * The partition of an immortal's log that records for it go to. Every immortal has one partition today: this is
     * the one place that says so.
     */
    public static final int PARTITION = 0;

    private final String immortal;
    private final String log;
    private final String checkpoints;
    private final String group;
    private final String prefix;

    public TopicNames(String topicPrefix, String immortal) {
        this.prefix = topicPrefix;
        this.immortal = immortal;
        this.log = topicPrefix + immortal;
        this.checkpoints = topicPrefix + immortal + ".checkpoints";
        this.group = topicPrefix + immortal;
    }

    /**
     * @return the log topic of another immortal, where calls to it are written
     */
    public String logOf(String otherImmortal) {
        return prefix + otherImmortal;
    }

    public String immortal() {
        return immortal;
    }

    public String log() {
        return log;
    }

    public String checkpoints() {
        return checkpoints;
    }

    /**
     * @return the consumer group whose committed offsets record how far each partition was processed
     */
    public String group() {
        return group;
    }

    /**
     * @return the consumer group whose members share a keyed immortal's partitions: the application's instances
     */
    public String owners() {
        return group + ".owners";
    }

    public TopicPartition logPartition(int partition) {
        return new TopicPartition(log, partition);
    }

    /**
     * @return where the checkpoints of a log partition are kept: the same partition of the checkpoint topic
     */
    public TopicPartition checkpointPartition(int partition) {
        return new TopicPartition(checkpoints, partition);
    }

    /**
     * @return the transactional id of the task processing that partition: fixed, so a newer instance's task fences an
     *         older one
     */
    public String transactionalId(int partition) {
        return prefix + immortal + "-" + partition;
    }
}
