package io.loyalflow.bench;

import static io.loyalflow.segment.SegmentVariables.ORDERS_12_MONTHS;
import static io.loyalflow.segment.SegmentVariables.SPEND_12_MONTHS;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.platform.engine.ParsedOnceFeelEngine;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How many times a second one thread evaluates the value-tier table on inputs that never repeat,
 * with Camunda's FEEL engine and with the refresh's {@link ParsedOnceFeelEngine}:
 * {@code ./mvnw -Pbench-messaging test -Dtest=DmnThroughputBenchmark} (figures to
 * bench/work/dmn-results.txt and docs/performance.md).
 */
@Tag("benchmark")
class DmnThroughputBenchmark {

    private static final int EVALUATIONS = Integer.getInteger("bench.evaluations", 200_000);

    @Test
    void valueTierEvaluationsPerSecond() throws Exception {
        List<String> results = new ArrayList<>();
        DmnEngine camunda =
                DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
        DmnEngine parsedOnce = ((DefaultDmnEngineConfiguration)
                        DmnEngineConfiguration.createDefaultDmnEngineConfiguration())
                .feelEngineFactory(ParsedOnceFeelEngine.factory())
                .buildEngine();
        for (var engine : List.of(
                new Object[] {"Camunda's FEEL engine", camunda}, new Object[] {"ParsedOnceFeelEngine", parsedOnce})) {
            DmnEngine dmn = (DmnEngine) engine[1];
            DmnDecision valueTier;
            try (InputStream table = Files.newInputStream(Path.of("dmn/value-tier.dmn"))) {
                valueTier = dmn.parseDecision("value-tier", table);
            }
            double best = 0;
            long platinum = 0;
            for (int round = 0; round < 3; round++) {
                long started = System.nanoTime();
                for (int i = 0; i < EVALUATIONS; i++) {
                    String tier = dmn.evaluateDecision(
                                    valueTier,
                                    Variables.createVariables()
                                            .putValue(SPEND_12_MONTHS.name(), round * EVALUATIONS + i * 0.01)
                                            .putValue(ORDERS_12_MONTHS.name(), i % 9))
                            .getFirstResult()
                            .getEntry("tier");
                    platinum += "Platinum".equals(tier) ? 1 : 0;
                }
                best = Math.max(best, EVALUATIONS / ((System.nanoTime() - started) / 1e9));
            }
            assertThat(platinum).isPositive();
            String line = String.format(
                    "value-tier, %s: %.0f evaluations/s (best of 3 rounds of %d, distinct inputs, " + "one thread)",
                    engine[0], best, EVALUATIONS);
            System.out.println("BENCH " + line);
            results.add(line);
        }
        Files.createDirectories(Path.of("bench/work"));
        Files.write(Path.of("bench/work/dmn-results.txt"), results);
    }
}
