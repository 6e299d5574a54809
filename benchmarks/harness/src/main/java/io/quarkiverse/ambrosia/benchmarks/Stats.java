package io.quarkiverse.ambrosia.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * The summary of a measurement's repetitions: median and spread.
 *
 * @param median the median of the repetitions
 * @param min the smallest
 * @param max the largest
 * @param repetitions how many there were
 */
public record Stats(double median, double min, double max, int repetitions) {

    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no repetitions to summarize");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[n - 1], n);
    }

    /**
     * @return the spread as a fraction of the median: (max - min) / median
     */
    public double spread() {
        return median == 0 ? 0 : (max - min) / median;
    }

    @Override
    public String toString() {
        return median + " " + Arrays.toString(new double[]{min, max});
    }
}
