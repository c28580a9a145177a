package io.loyalflow.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.loyalflow.clv.CdnowHoldout.Comparison;
import io.loyalflow.clv.CdnowHoldout.Group;
import io.loyalflow.clv.TransactionLog.Transaction;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model against what CDNOW's customers actually did after the calibration period, as in Fader,
 * Hardie &amp; Lee (2005), figure "conditional expectations": fitted on purchases to 1997-09-30, the
 * BG/NBD's E[Y(39) | x, t_x, T] against the purchase days of 1997-10-01 to 1998-06-30, customers
 * grouped by calibration repeat purchases x = 0, …, 6, 7+. docs/clv.md shows the table and the plot
 * ({@link CdnowHoldoutPlot}).
 *
 * <p>The tolerance for "close" is sampling noise: a customer's holdout purchases scatter widely around
 * any prediction (a standard deviation of 0.8 purchases at x = 0, 5 to 7 at x ≥ 6), so a group's mean
 * can only be expected within a few standard errors of the model, however right the model. Each group's
 * mean difference, and the total, must be within 3 standard errors of the customers' differences
 * (actual − predicted): a right model fails that about 3 times in 1,000 per group. A fixed percentage
 * would be too strict for the 29 customers with x = 6 and too loose for the 1,411 with x = 0.
 */
class CdnowHoldoutTest {

    /** Standard errors within which the model's group means must be of the actual ones. */
    private static final double STANDARD_ERRORS = 3;

    private static Comparison comparison;

    @BeforeAll
    static void compare() {
        comparison = CdnowHoldout.compute();
        System.out.printf(
                "CDNOW holdout, %s to %s (%.1f weeks), BG/NBD %s:%n%s",
                CdnowHoldout.HOLDOUT_START,
                CdnowHoldout.HOLDOUT_END,
                comparison.holdoutWeeks(),
                comparison.fit().model(),
                CdnowHoldout.table(comparison));
        System.out.printf(
                "unconditional expectation of the cohort's holdout purchases: %.1f%n", comparison.unconditionalTotal());
    }

    @Test
    void theHoldoutIs273DaysOr39Weeks() {
        assertThat(ChronoUnit.DAYS.between(CdnowHoldout.HOLDOUT_START, CdnowHoldout.HOLDOUT_END) + 1)
                .isEqualTo(273);
        assertThat(CdnowHoldout.holdoutWeeks()).isEqualTo(39.0);
        assertThat(comparison.holdoutWeeks()).isEqualTo(39.0);
        // the calibration period has the same length: 1997-01-01 to 1997-09-30, weeks 1 to 39; the holdout is weeks 40
        // to 78
        assertThat(ChronoUnit.DAYS.between(LocalDate.of(1997, 1, 1), CdnowSample.CALIBRATION_END) + 1)
                .isEqualTo(273);
    }

    /**
     * The actual holdout purchases, counted directly (distinct purchase days per customer in the holdout)
     * and as the log's own summaries count them (repeat purchases to 1998-06-30 minus those to 1997-09-30):
     * 1,882 purchase days, from 1,959 transactions of which 77 fell on a day the customer had already
     * bought on.
     */
    @Test
    void actualHoldoutPurchasesCountedTwoWays() {
        List<Transaction> transactions = CdnowSample.transactions();
        CustomerSummaries whole = TransactionLog.summarise(transactions.stream(), CdnowHoldout.HOLDOUT_END);
        Map<String, Integer> repeatPurchasesToTheEnd = new HashMap<>();
        for (int i = 0; i < whole.size(); i++) {
            repeatPurchasesToTheEnd.put(whole.id(i), whole.x(i));
        }
        CustomerSummaries customers = comparison.customers();
        assertThat(whole.size()).isEqualTo(customers.size()).isEqualTo(2357);
        for (int i = 0; i < customers.size(); i++) {
            assertThat(comparison.actual()[i])
                    .as("customer " + customers.id(i))
                    .isEqualTo(repeatPurchasesToTheEnd.get(customers.id(i)) - customers.x(i));
        }
        long holdoutTransactions = transactions.stream()
                .filter(t -> !t.day().isBefore(CdnowHoldout.HOLDOUT_START)
                        && !t.day().isAfter(CdnowHoldout.HOLDOUT_END))
                .count();
        assertThat(holdoutTransactions).isEqualTo(1959);
        assertThat(comparison.actualTotal()).isEqualTo(1882);
    }

    @Test
    void theGroupsHoldAllCustomers() {
        assertThat(comparison.groups())
                .extracting(Group::label)
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7+");
        assertThat(comparison.groups())
                .extracting(Group::customers)
                .containsExactly(1411, 439, 214, 100, 62, 38, 29, 64);
        assertThat(comparison.groups())
                .extracting(Group::actualPurchases)
                .containsExactly(334, 306, 298, 156, 157, 112, 112, 407);
        assertThat(comparison.groups().stream()
                        .mapToDouble(Group::predictedPurchases)
                        .sum())
                .isCloseTo(comparison.predictedTotal(), within(1e-9));
    }

    /**
     * What the figure shows: both curves rise with x, and for every group the model's mean is within
     * sampling noise of the actual mean. (Result, 2026-11-23: the model is below the actual mean in every
     * group; by 0.57 standard errors at x = 0, but by 2.87 and 2.82 at x = 1 and 2, where it predicts a
     * quarter too few.)
     */
    @Test
    void perGroupTheModelIsWithinSamplingNoiseOfWhatHappened() {
        List<Group> groups = comparison.groups();
        for (int g = 1; g < groups.size(); g++) {
            assertThat(groups.get(g).predictedMean())
                    .as("model, x = " + groups.get(g).label())
                    .isGreaterThan(groups.get(g - 1).predictedMean());
            assertThat(groups.get(g).actualMean())
                    .as("actual, x = " + groups.get(g).label())
                    .isGreaterThan(groups.get(g - 1).actualMean());
        }
        for (Group group : groups) {
            int x = group.x();
            Noise noise = noise(i -> Math.min(comparison.customers().x(i), CdnowHoldout.LAST_GROUP) == x);
            System.out.printf(
                    "x = %s: actual %.3f, model %.3f, difference %+.3f = %+.2f standard errors (%.3f)%n",
                    group.label(),
                    group.actualMean(),
                    group.predictedMean(),
                    noise.meanDifference(),
                    noise.meanDifference() / noise.standardError(),
                    noise.standardError());
            assertThat(noise.customers()).isEqualTo(group.customers());
            assertThat(Math.abs(group.actualMean() - group.predictedMean()))
                    .as(
                            "x = %s: |actual %.3f − model %.3f| within %.0f standard errors of %.3f",
                            group.label(),
                            group.actualMean(),
                            group.predictedMean(),
                            STANDARD_ERRORS,
                            noise.standardError())
                    .isLessThanOrEqualTo(STANDARD_ERRORS * noise.standardError());
        }
    }

    /**
     * The aggregate: the model's holdout purchases of all 2,357 customers against the actual 1,882, within
     * 3 standard errors of the sum of the customers' differences. (Result, 2026-11-23: 1,653.4, 12.1 %
     * below, 2.93 standard errors of 77.9.) The expectation for the cohort that ignores everyone's history,
     * Σ E[X(T+39)] − E[X(T)], must say about the same, as it does for a model that describes the
     * calibration data (a model applied with a wrong t_x or T would not): within 5 %.
     */
    @Test
    void inTotalTheModelIsWithinSamplingNoiseOfWhatHappened() {
        Noise noise = noise(i -> true);
        double actual = comparison.actualTotal();
        double predicted = comparison.predictedTotal();
        double standardError = noise.standardError() * noise.customers();
        System.out.printf(
                "total: actual %.0f, model %.1f (%+.1f %%), difference %+.1f = %+.2f standard errors (%.1f)%n",
                actual,
                predicted,
                100 * (predicted / actual - 1),
                actual - predicted,
                (actual - predicted) / standardError,
                standardError);
        assertThat(Math.abs(actual - predicted))
                .as(
                        "|actual %.0f − model %.1f| within %.0f standard errors of %.1f",
                        actual, predicted, STANDARD_ERRORS, standardError)
                .isLessThanOrEqualTo(STANDARD_ERRORS * standardError);
        assertThat(comparison.unconditionalTotal()).isCloseTo(predicted, within(0.05 * predicted));
    }

    /**
     * The model's group means as computed independently of this code: the same parameters, the summaries
     * rebuilt from the raw log by a separate script and E[Y(39) | x, t_x, T] evaluated by the paper's
     * formula with mpmath's hyp2f1 (Python, 2026-11-23). Any change in the fit, the summaries or the
     * horizon shows here. The noise checks above would not catch a 52-week horizon (0.290 at x = 0, 11 %
     * too many in total, against 12 % too few at 39 weeks: both within 3 standard errors), this does.
     */
    @Test
    void theModelMeansAgreeWithAnIndependentComputation() {
        double[] independent = {0.2251, 0.5231, 1.0441, 1.5203, 2.1639, 2.6538, 3.5040, 6.1572};
        for (int g = 0; g < independent.length; g++) {
            Group group = comparison.groups().get(g);
            assertThat(group.predictedMean()).as("x = " + group.label()).isCloseTo(independent[g], within(1e-4));
        }
        assertThat(comparison.predictedTotal()).isCloseTo(1653.41, within(0.01));
    }

    private record Noise(int customers, double meanDifference, double standardError) {}

    /** Mean and standard error of the mean of actual − predicted over the customers selected. */
    private static Noise noise(IntPredicate selected) {
        int n = 0;
        double sum = 0;
        double sumOfSquares = 0;
        for (int i = 0; i < comparison.customers().size(); i++) {
            if (selected.test(i)) {
                double difference = comparison.actual()[i] - comparison.predicted()[i];
                n++;
                sum += difference;
                sumOfSquares += difference * difference;
            }
        }
        double mean = sum / n;
        double variance = (sumOfSquares - n * mean * mean) / (n - 1);
        return new Noise(n, mean, Math.sqrt(variance / n));
    }
}
