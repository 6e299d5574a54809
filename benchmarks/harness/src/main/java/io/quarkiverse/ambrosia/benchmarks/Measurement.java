package io.quarkiverse.ambrosia.benchmarks;

import java.util.List;

/**
 * One variant of a scenario, measured several times.
 *
 * @param scenario the scenario, e.g. {@code 1. The log's limit}
 * @param variant what was measured, e.g. {@code transactional, 100 B}
 * @param metric what the numbers are, e.g. {@code records/s} or {@code p99 ms}
 * @param values one value per repetition
 * @param baseline {@code <scenario> / <variant>} of the measurement of the same metric this one is compared with,
 *        or {@code null} for a baseline itself
 * @param higherIsBetter whether larger values are better (throughput) or worse (latency)
 */
public record Measurement(String scenario, String variant, String metric, List<Double> values, String baseline,
        boolean higherIsBetter) {

    public static String key(String scenario, String variant) {
        return scenario + " / " + variant;
    }

    public Stats stats() {
        return Stats.of(values);
    }
}
