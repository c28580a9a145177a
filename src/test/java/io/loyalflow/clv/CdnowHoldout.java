package io.loyalflow.clv;

import io.loyalflow.clv.TransactionLog.Transaction;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The holdout comparison of Fader, Hardie &amp; Lee (2005), "conditional expectations": the BG/NBD fitted
 * on CDNOW's calibration period (to 1997-09-30), then, for the customers grouped by their calibration
 * repeat purchases x = 0, 1, …, 6, 7+, the mean number of purchases they actually made in the holdout
 * period (1997-10-01 to 1998-06-30, 39 weeks) against the mean of the model's E[Y(39) | x, t_x, T].
 * Purchases are counted as in calibration: purchase days, those of one day merged. Used by
 * {@link CdnowHoldoutTest} and drawn by {@link CdnowHoldoutPlot}.
 */
final class CdnowHoldout {

    static final LocalDate HOLDOUT_START = CdnowSample.CALIBRATION_END.plusDays(1);
    static final LocalDate HOLDOUT_END = LocalDate.of(1998, 6, 30);
    /** The paper's last group, 7 or more calibration repeat purchases. */
    static final int LAST_GROUP = 7;

    private CdnowHoldout() {}

    /** Customers with x calibration repeat purchases ({@code x = LAST_GROUP} stands for LAST_GROUP or more). */
    record Group(int x, int customers, int actualPurchases, double predictedPurchases) {

        String label() {
            return x == LAST_GROUP ? LAST_GROUP + "+" : String.valueOf(x);
        }

        double actualMean() {
            return (double) actualPurchases / customers;
        }

        double predictedMean() {
            return predictedPurchases / customers;
        }
    }

    /**
     * @param holdoutWeeks length of the holdout in weeks, from the day after the calibration end to the
     *     holdout end inclusive
     * @param actual purchase days in the holdout, by customer (in the order of {@code customers})
     * @param predicted E[Y(holdoutWeeks) | x, t_x, T], by customer
     * @param unconditionalTotal the model's expected holdout purchases of the cohort without looking at
     *     anyone's history: the sum of E[X(T + holdoutWeeks)] − E[X(T)] over the customers (the aggregate
     *     the paper tracks week by week)
     */
    record Comparison(
            ModelFit<BgNbd> fit,
            CustomerSummaries customers,
            double holdoutWeeks,
            int[] actual,
            double[] predicted,
            double unconditionalTotal,
            List<Group> groups) {

        int actualTotal() {
            int total = 0;
            for (int purchases : actual) {
                total += purchases;
            }
            return total;
        }

        double predictedTotal() {
            double total = 0;
            for (double purchases : predicted) {
                total += purchases;
            }
            return total;
        }
    }

    /** Holdout length in weeks: days from the calibration end to the holdout end, over 7. */
    static double holdoutWeeks() {
        return ChronoUnit.DAYS.between(CdnowSample.CALIBRATION_END, HOLDOUT_END) / 7.0;
    }

    static Comparison compute() {
        List<Transaction> transactions = CdnowSample.transactions();
        CustomerSummaries customers = TransactionLog.summarise(transactions.stream(), CdnowSample.CALIBRATION_END);
        ModelFit<BgNbd> fit = BgNbd.fit(customers);

        Map<String, Set<LocalDate>> holdoutDays = new HashMap<>();
        for (Transaction transaction : transactions) {
            if (!transaction.day().isBefore(HOLDOUT_START) && !transaction.day().isAfter(HOLDOUT_END)) {
                holdoutDays
                        .computeIfAbsent(transaction.customerId(), id -> new HashSet<>())
                        .add(transaction.day());
            }
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < customers.size(); i++) {
            index.put(customers.id(i), i);
        }
        if (!index.keySet().containsAll(holdoutDays.keySet())) {
            throw new IllegalStateException("holdout purchases of customers without a calibration purchase");
        }

        double weeks = holdoutWeeks();
        int n = customers.size();
        int[] actual = new int[n];
        double[] predicted = new double[n];
        int[] groupCustomers = new int[LAST_GROUP + 1];
        int[] groupActual = new int[LAST_GROUP + 1];
        double[] groupPredicted = new double[LAST_GROUP + 1];
        double unconditional = 0;
        BgNbd model = fit.model();
        for (int i = 0; i < n; i++) {
            actual[i] = holdoutDays.getOrDefault(customers.id(i), Set.of()).size();
            predicted[i] = model.expectedPurchases(weeks, customers.x(i), customers.tx(i), customers.T(i));
            unconditional += unconditionalPurchases(model, customers.T(i) + weeks)
                    - unconditionalPurchases(model, customers.T(i));
            int group = Math.min(customers.x(i), LAST_GROUP);
            groupCustomers[group]++;
            groupActual[group] += actual[i];
            groupPredicted[group] += predicted[i];
        }
        List<Group> groups = new ArrayList<>();
        for (int x = 0; x <= LAST_GROUP; x++) {
            groups.add(new Group(x, groupCustomers[x], groupActual[x], groupPredicted[x]));
        }
        return new Comparison(fit, customers, weeks, actual, predicted, unconditional, List.copyOf(groups));
    }

    /**
     * E[X(t)], the expected repeat purchases in the first t weeks after the first purchase. It is the
     * conditional expectation of a customer observed for no time at all (x = 0, t_x = T = 0), whose
     * formula reduces to (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))].
     */
    static double unconditionalPurchases(BgNbd model, double t) {
        return model.expectedPurchases(t, 0, 0, 0);
    }

    /** The comparison as a Markdown table, one row per group and a total. */
    static String table(Comparison comparison) {
        StringBuilder table = new StringBuilder(
                "| x (calibration repeat purchases) | customers | actual, mean | model, mean | model − actual | actual, total | model, total |\n"
                        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Group group : comparison.groups()) {
            table.append(String.format(
                    "| %s | %,d | %.3f | %.3f | %+.3f | %,d | %,.1f |%n",
                    group.label(),
                    group.customers(),
                    group.actualMean(),
                    group.predictedMean(),
                    group.predictedMean() - group.actualMean(),
                    group.actualPurchases(),
                    group.predictedPurchases()));
        }
        int n = comparison.customers().size();
        table.append(String.format(
                "| all | %,d | %.3f | %.3f | %+.3f | %,d | %,.1f |%n",
                n,
                (double) comparison.actualTotal() / n,
                comparison.predictedTotal() / n,
                (comparison.predictedTotal() - comparison.actualTotal()) / n,
                comparison.actualTotal(),
                comparison.predictedTotal()));
        return table.toString();
    }
}
