package io.quarkiverse.ambrosia.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's results: a Markdown table ({@value #RESULTS}) and a PNG chart per scenario and metric.
 */
final class Report {

    static final String RESULTS = "benchmark-results.md";
    static final String CHARTS = "benchmark-charts";

    private Report() {
    }

    static void write(Results results, Path out, boolean quick, Duration took, String args) throws IOException {
        Files.createDirectories(out.resolve(CHARTS));
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append("Written by `benchmarks/run").append(args.isEmpty() ? "" : " " + args).append("` on ")
                .append(Instant.now().toString(), 0, 10).append(quick ? " (quick run: one repetition, short runs)" : "")
                .append(", in ").append(took.toMinutes()).append(" min ").append(took.toSecondsPart()).append(" s, on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". How each figure is measured, and what it means:"
                        + " [benchmarks.md](benchmarks.md). Ratios compare medians of the same run.\n");
        md.append(results.markdown());
        md.append("\n## Charts\n\n");
        for (var group : groups(results).entrySet()) {
            String file = CHARTS + "/" + slug(group.getKey()) + ".png";
            Charts.bars(group.getKey(), group.getValue(), out.resolve(file));
            md.append("![").append(group.getKey()).append("](").append(file).append(")\n\n");
        }
        Files.writeString(out.resolve(RESULTS), md.toString());
    }

    /**
     * @return the measurements by scenario and metric, in the order measured
     */
    static Map<String, List<Measurement>> groups(Results results) {
        Map<String, List<Measurement>> groups = new LinkedHashMap<>();
        for (Measurement m : results.all()) {
            groups.computeIfAbsent(m.scenario() + ", " + m.metric(), k -> new ArrayList<>()).add(m);
        }
        return groups;
    }

    static String slug(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
