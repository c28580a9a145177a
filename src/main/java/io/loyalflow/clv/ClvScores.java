package io.loyalflow.clv;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Predicted customer value for every customer of a set of summaries, column by column: expected
 * purchases over a horizon and P(alive) from BG/NBD, expected order value from Gamma-Gamma, their
 * product as the predicted value (undiscounted: no discount rate is applied over the horizon) and its
 * percent rank among the customers scored together. Customers are scored in parallel.
 */
public final class ClvScores {

    /** Twelve months in the weeks all summaries of this package use. */
    public static final double TWELVE_MONTHS_IN_WEEKS = 52;

    private final CustomerSummaries customers;
    private final double horizon;
    private final double[] expectedPurchases;
    private final double[] probabilityAlive;
    private final double[] expectedOrderValue;
    private final double[] predictedValue;
    private final double[] valuePercentile;

    private ClvScores(CustomerSummaries customers, double horizon, int n) {
        this.customers = customers;
        this.horizon = horizon;
        expectedPurchases = new double[n];
        probabilityAlive = new double[n];
        expectedOrderValue = new double[n];
        predictedValue = new double[n];
        valuePercentile = new double[n];
    }

    /**
     * @param horizon in the time unit of the summaries (weeks: {@link #TWELVE_MONTHS_IN_WEEKS})
     * @throws IllegalArgumentException when the summaries have no purchase values
     * @throws IllegalStateException when spend has q ≤ 1 (no finite mean order value for customers
     *     without repeat purchases)
     */
    public static ClvScores score(CustomerSummaries customers, BgNbd purchases, GammaGamma spend, double horizon) {
        if (!customers.hasValues()) {
            throw new IllegalArgumentException("scoring needs the mean purchase values m of the customers");
        }
        if (!(horizon >= 0) || !Double.isFinite(horizon)) {
            throw new IllegalArgumentException("the horizon must be 0 or more, not " + horizon);
        }
        double populationMean = spend.populationMeanValue();
        int n = customers.size();
        ClvScores scores = new ClvScores(customers, horizon, n);
        int[] x = customers.xColumn();
        double[] tx = customers.txColumn();
        double[] T = customers.TColumn();
        double[] m = customers.mColumn();
        IntStream.range(0, n).parallel().forEach(i -> {
            double purchasesAhead;
            try {
                purchasesAhead = purchases.expectedPurchases(horizon, x[i], tx[i], T[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "customer " + (customers.hasIds() ? customers.id(i) : "#" + i) + ": " + e.getMessage(), e);
            }
            double orderValue = x[i] == 0 ? populationMean : spend.expectedAverageValue(x[i], m[i]);
            if (!Double.isFinite(purchasesAhead * orderValue)) {
                throw new IllegalStateException("customer " + (customers.hasIds() ? customers.id(i) : "#" + i)
                        + ": no finite predicted value (" + purchasesAhead + " purchases of " + orderValue + ")");
            }
            scores.expectedPurchases[i] = purchasesAhead;
            scores.probabilityAlive[i] = purchases.probabilityAlive(x[i], tx[i], T[i]);
            scores.expectedOrderValue[i] = orderValue;
            scores.predictedValue[i] = purchasesAhead * orderValue;
        });
        double[] sorted = scores.predictedValue.clone();
        Arrays.parallelSort(sorted);
        double denominator = Math.max(1, n - 1);
        IntStream.range(0, n)
                .parallel()
                .forEach(i -> scores.valuePercentile[i] = countBelow(sorted, scores.predictedValue[i]) / denominator);
        return scores;
    }

    /** How many of the sorted values are strictly below the value (the first index not below it). */
    private static int countBelow(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    public int size() {
        return predictedValue.length;
    }

    public double horizon() {
        return horizon;
    }

    public double expectedPurchases(int i) {
        return expectedPurchases[i];
    }

    public double probabilityAlive(int i) {
        return probabilityAlive[i];
    }

    public double expectedOrderValue(int i) {
        return expectedOrderValue[i];
    }

    public double predictedValue(int i) {
        return predictedValue[i];
    }

    public double valuePercentile(int i) {
        return valuePercentile[i];
    }

    public CustomerValuePrediction prediction(int i) {
        return new CustomerValuePrediction(
                customers.id(i),
                expectedPurchases[i],
                probabilityAlive[i],
                expectedOrderValue[i],
                predictedValue[i],
                valuePercentile[i]);
    }

    /** The predicted value of all customers together. */
    public double totalPredictedValue() {
        double total = 0;
        for (double value : predictedValue) {
            total += value;
        }
        return total;
    }

    /** Bytes held by the five result columns. */
    public long bytes() {
        return 5L * predictedValue.length * Double.BYTES;
    }
}
