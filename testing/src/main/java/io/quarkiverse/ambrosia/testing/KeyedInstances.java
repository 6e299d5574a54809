package io.quarkiverse.ambrosia.testing;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.utils.Utils;

/**
 * What a test (or a benchmark) of a keyed immortal on several application instances reads of them: which partitions an
 * instance runs, from its readiness check ({@code live; runs partitions 0, 2 of 6 here}), whether a set of instances
 * runs them all between them, and which partition a key goes to, computed with Kafka's own partitioning rather than
 * the extension's.
 */
public final class KeyedInstances {

    private KeyedInstances() {
    }

    /**
     * @param readiness the body of an instance's {@code /q/health/ready}
     * @param partitions how many partitions the immortal has
     * @return the partitions the instance runs, if all of them are live; none otherwise
     */
    public static TreeSet<Integer> owned(String readiness, int partitions) {
        TreeSet<Integer> owned = new TreeSet<>();
        Matcher m = Pattern.compile("runs partitions ([0-9, ]+) of " + partitions + " here").matcher(readiness);
        if (readiness.contains("live; ") && m.find()) {
            for (String p : m.group(1).split(", ")) {
                owned.add(Integer.parseInt(p.trim()));
            }
        }
        return owned;
    }

    /**
     * @param owned what each instance runs ({@link #owned})
     * @return whether the instances run every partition between them, each some and none twice
     */
    public static boolean split(Collection<TreeSet<Integer>> owned, int partitions) {
        TreeSet<Integer> all = new TreeSet<>();
        int sum = 0;
        for (TreeSet<Integer> own : owned) {
            if (own.isEmpty()) {
                return false;
            }
            sum += own.size();
            all.addAll(own);
        }
        return all.size() == partitions && sum == partitions;
    }

    /**
     * @return the partition of the key: Kafka's default partitioning (murmur2) of its UTF-8 bytes
     */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
