package io.quarkiverse.ambrosia.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTest {

    @Test
    void statsAreTheMedianAndRangeOfTheRepetitions() {
        Stats odd = Stats.of(List.of(5.0, 1.0, 3.0));
        assertThat(odd.median()).isEqualTo(3.0);
        assertThat(odd.min()).isEqualTo(1.0);
        assertThat(odd.max()).isEqualTo(5.0);
        assertThat(odd.spread()).isEqualTo(4.0 / 3.0);
        assertThat(Stats.of(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
    }

    @Test
    void theTableGivesEachMeasurementItsRatioToTheBaselineOfTheSameRun() {
        Results results = new Results();
        results.add(new Measurement("1. Log", "raw, 100 B", "records/s", List.of(1000.0, 1200.0, 1100.0), null, true));
        results.add(new Measurement("2. Immortal", "impulses, 100 B", "records/s", List.of(500.0, 600.0, 550.0),
                Measurement.key("1. Log", "raw, 100 B"), true));
        results.add(new Measurement("2. Immortal", "checkpoint", "ms", List.of(12.0), null, false));
        results.add(new Measurement("2. Immortal", "orphan", "records/s", List.of(1.0),
                Measurement.key("1. Log", "missing"), true));

        assertThat(results.ratio(results.all().get(1))).hasValue(0.5);
        String table = results.markdown();
        assertThat(table).contains("| raw, 100 B | records/s | 1,100 | 1,000 … 1,200 | 3 | baseline |");
        assertThat(table).contains("| impulses, 100 B | records/s | 550.0 | 500.0 … 600.0 | 3 | 0.50× 1. Log / raw, 100 B |");
        assertThat(table).contains("| checkpoint | ms | 12.0 | 12.0 … 12.0 | 1 |  |");
        assertThat(table).contains("| orphan | records/s | 1.000 | 1.000 … 1.000 | 1 | (baseline missing) |");
    }

    @Test
    void theReportWritesTheTableAndAChartPerScenarioAndMetric(@TempDir Path out) throws Exception {
        Results results = new Results();
        results.add(new Measurement("3. Latency", "plain, 100/s", "p50 ms", List.of(1.0, 1.2), null, false));
        results.add(new Measurement("3. Latency", "impulse, 100/s", "p50 ms", List.of(3.0, 3.5),
                Measurement.key("3. Latency", "plain, 100/s"), false));

        Report.write(results, out, true, Duration.ofSeconds(75), "--quick");

        String markdown = Files.readString(out.resolve(Report.RESULTS));
        assertThat(markdown).contains("`benchmarks/run --quick`", "in 1 min 15 s", "### 3. Latency",
                "![3. Latency, p50 ms](benchmark-charts/3-latency-p50-ms.png)");
        var image = ImageIO.read(out.resolve("benchmark-charts/3-latency-p50-ms.png").toFile());
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isGreaterThan(2 * 22);
    }

    @Test
    void numbersAreReadFromLogLines() {
        assertThat(Bench.number("Immortal Counter is live at offset 20000 of x (recovered in 2011 ms)",
                "recovered in (\\d+) ms")).isEqualTo(2011);
    }
}
