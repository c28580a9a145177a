package io.loyalflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.clv.BgNbd;
import io.loyalflow.clv.ClvScores;
import io.loyalflow.clv.CustomerSummaries;
import io.loyalflow.clv.GammaGamma;
import io.loyalflow.clv.ModelFit;
import io.loyalflow.clv.SyntheticCustomers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The customer-value model at the size of a large customer base, in memory, no database:
 * {@code ./mvnw -Pbench-clv test} (-Xmx2g; figures to bench/work/clv-results.txt). 1,000,000 customers
 * drawn from the CDNOW estimates with whole-day purchase dates (as real orders are summarised), both
 * models fitted (target: 15 s together) and every customer scored over 12 months (target: 10 s).
 */
@Tag("benchmark")
class ClvBenchmark {

    private static final int CUSTOMERS = Integer.getInteger("bench.customers", 1_000_000);
    private static final BgNbd PURCHASES = new BgNbd(0.243, 4.414, 0.793, 2.426);
    private static final GammaGamma SPEND = new GammaGamma(6.25, 3.74, 15.44);

    private final List<String> results = new ArrayList<>();

    @Test
    void fitAndScoreAMillionCustomers() throws Exception {
        record(
                "%d customers; %d processors; max heap (-Xmx) %d MB; java %s",
                CUSTOMERS,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                System.getProperty("java.version"));
        long before = HeapReadings.inUseAfterGc();

        long started = System.nanoTime();
        CustomerSummaries customers = new SyntheticCustomers(PURCHASES, SPEND, 27, 39, true).draw(CUSTOMERS, 42L);
        double generation = seconds(started);
        long withData = HeapReadings.inUseAfterGc();
        record(
                "generated in %.2f s (true BG/NBD %s, Gamma-Gamma %s; ages 27 to 39 weeks in whole days); %d repeat "
                        + "buyers; columns x, t_x, T, m: %.1f MB; heap in use after a full GC %d MB before, %d MB with the data",
                generation,
                PURCHASES,
                SPEND,
                customers.repeatBuyers(),
                customers.numericBytes() / 1048576.0,
                before / 1048576,
                withData / 1048576);

        ModelFit<BgNbd> purchases = BgNbd.fit(customers);
        record(
                "BG/NBD fit: %.2f s; %s; standard errors %s; LL %.2f; %d distinct (x, t_x, T) of %d customers; %d "
                        + "iterations, %d log-likelihood evaluations, %d restarts; %s",
                purchases.seconds(),
                purchases.model(),
                purchases.standardErrors(),
                purchases.logLikelihood(),
                purchases.groups(),
                purchases.observations(),
                purchases.iterations(),
                purchases.evaluations(),
                purchases.restarts(),
                purchases.convergence());
        ModelFit<GammaGamma> spend = GammaGamma.fit(customers);
        record(
                "Gamma-Gamma fit: %.2f s; %s; standard errors %s; LL %.2f; %d repeat buyers; %d iterations, %d "
                        + "log-likelihood evaluations, %d restarts; %s",
                spend.seconds(),
                spend.model(),
                spend.standardErrors(),
                spend.logLikelihood(),
                spend.observations(),
                spend.iterations(),
                spend.evaluations(),
                spend.restarts(),
                spend.convergence());
        double fitting = purchases.seconds() + spend.seconds();
        record("RESULT fit of both models: %.2f s (target 15 s: %s)", fitting, fitting <= 15 ? "met" : "NOT met");

        double[] scoring = new double[2];
        ClvScores scores = null;
        for (int round = 0; round < scoring.length; round++) {
            started = System.nanoTime();
            scores = ClvScores.score(customers, purchases.model(), spend.model(), ClvScores.TWELVE_MONTHS_IN_WEEKS);
            scoring[round] = seconds(started);
        }
        long withScores = HeapReadings.inUseAfterGc();
        record(
                "RESULT scoring %d customers over 52 weeks: %.2f s first (cold), %.2f s second (target 10 s: %s); "
                        + "total predicted value %.0f; result columns %.1f MB; heap in use after a full GC %d MB with data and "
                        + "scores",
                scores.size(),
                scoring[0],
                scoring[1],
                scoring[0] <= 10 ? "met" : "NOT met",
                scores.totalPredictedValue(),
                scores.bytes() / 1048576.0,
                withScores / 1048576);

        double[] values = new double[scores.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scores.predictedValue(i);
        }
        Percentile percentile = new Percentile();
        record(
                "predicted 12-month value per customer: mean %.2f, median %.2f, 90th percentile %.2f, 99th %.2f "
                        + "(true model, mean order value %.2f)",
                scores.totalPredictedValue() / values.length,
                percentile.evaluate(values, 50),
                percentile.evaluate(values, 90),
                percentile.evaluate(values, 99),
                SPEND.populationMeanValue());

        // the worst case for the likelihood: exact times, so no two customers share a group
        CustomerSummaries exact = new SyntheticCustomers(PURCHASES, SPEND, 27, 39, false).draw(CUSTOMERS, 43L);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            started = System.nanoTime();
            PURCHASES.logLikelihood(exact);
            best = Math.min(best, seconds(started));
        }
        record(
                "BG/NBD log-likelihood of %d customers with exact (not whole-day) times, no grouping possible: %.0f ms "
                        + "per evaluation (best of 5, including the grouping)",
                CUSTOMERS, best * 1000);

        long peak = HeapReadings.poolPeaks();
        record("sum of the heap pools' peaks during the run %d MB", peak / 1048576);

        assertThat(purchases.converged()).as(purchases.convergence()).isTrue();
        assertThat(spend.converged()).as(spend.convergence()).isTrue();
        assertThat(scores.totalPredictedValue()).isPositive();
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    /** Prints the line and writes all lines so far to bench/work/clv-results.txt. */
    private void record(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("BENCH " + line);
        results.add(line);
        try {
            Files.createDirectories(Path.of("bench/work"));
            Files.write(Path.of("bench/work/clv-results.txt"), results);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
