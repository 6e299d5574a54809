package io.quarkiverse.ambrosia.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Everything one run measured, and the Markdown table of it: median, spread, and the ratio to the baseline run in
 * the same invocation.
 */
public final class Results {

    private final List<Measurement> measurements = new ArrayList<>();

    public synchronized void add(Measurement measurement) {
        measurements.add(measurement);
    }

    public synchronized List<Measurement> all() {
        return List.copyOf(measurements);
    }

    /**
     * @return the baseline this measurement names, measured in this run
     */
    public synchronized Optional<Measurement> baselineOf(Measurement m) {
        if (m.baseline() == null) {
            return Optional.empty();
        }
        return measurements.stream().filter(b -> qualified(b).equals(m.baseline()) && b.metric().equals(m.metric()))
                .findFirst();
    }

    /**
     * @return the ratio of this measurement's median to its baseline's, or empty if it has none
     */
    public Optional<Double> ratio(Measurement m) {
        return baselineOf(m).map(b -> m.stats().median() / b.stats().median());
    }

    private boolean isBaseline(Measurement m) {
        String key = qualified(m);
        return measurements.stream().anyMatch(other -> key.equals(other.baseline()));
    }

    static String qualified(Measurement m) {
        return m.scenario() + " / " + m.variant();
    }

    /**
     * @return one Markdown table per scenario
     */
    public synchronized String markdown() {
        StringBuilder out = new StringBuilder();
        String scenario = null;
        for (Measurement m : measurements) {
            if (!m.scenario().equals(scenario)) {
                scenario = m.scenario();
                out.append("\n### ").append(scenario).append("\n\n");
                out.append("| variant | metric | median | min … max | runs | vs. baseline |\n");
                out.append("|---|---|---:|---:|---:|---|\n");
            }
            Stats stats = m.stats();
            String ratio = ratio(m).map(r -> String.format(Locale.ROOT, "%.2f× %s", r,
                    baselineOf(m).map(b -> b.scenario().equals(m.scenario()) ? b.variant() : qualified(b)).orElse("")))
                    .orElse(m.baseline() != null ? "(baseline missing)" : isBaseline(m) ? "baseline" : "");
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s … %s | %d | %s |%n", m.variant(), m.metric(),
                    format(stats.median()), format(stats.min()), format(stats.max()), stats.repetitions(), ratio));
        }
        return out.toString();
    }

    static String format(double value) {
        if (value >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (value >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
