package io.loyalflow.clv;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns purchases into the summaries the customer-value models read, as the literature does (and as
 * the CDNOW summaries were made): purchases of one customer on one day are one purchase of their
 * total; only days up to and including the end of the calibration period count; a customer is
 * summarised from the first purchase day, and customers whose first purchase comes later are left out.
 * In weeks: T = (end − first day) / 7 days, t_x = (last day − first day) / 7, x = purchase days after
 * the first, m = mean of the daily totals of those days.
 */
final class TransactionLog {

    private static final double DAYS_PER_WEEK = 7;

    /** One purchase on a calendar day (the customer's own day: see {@link #at}). */
    public record Transaction(String customerId, LocalDate day, BigDecimal amount) {

        public Transaction {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(amount, "amount");
        }

        /** A purchase at an instant, on the calendar day it was in the given zone (the customer's, usually). */
        public static Transaction at(String customerId, Instant at, ZoneId zone, BigDecimal amount) {
            return new Transaction(customerId, LocalDate.ofInstant(at, zone), amount);
        }
    }

    private TransactionLog() {}

    /** The summaries in weeks, customers in the order of their first transaction in the stream. */
    public static CustomerSummaries summarise(Stream<Transaction> transactions, LocalDate calibrationEnd) {
        Map<String, TreeMap<LocalDate, BigDecimal>> days = new LinkedHashMap<>();
        transactions.forEach(transaction -> {
            if (!transaction.day().isAfter(calibrationEnd)) {
                days.computeIfAbsent(transaction.customerId(), id -> new TreeMap<>())
                        .merge(transaction.day(), transaction.amount(), BigDecimal::add);
            }
        });
        int n = days.size();
        String[] ids = new String[n];
        int[] x = new int[n];
        double[] tx = new double[n];
        double[] T = new double[n];
        double[] m = new double[n];
        int i = 0;
        for (Map.Entry<String, TreeMap<LocalDate, BigDecimal>> customer : days.entrySet()) {
            TreeMap<LocalDate, BigDecimal> totals = customer.getValue();
            LocalDate first = totals.firstKey();
            ids[i] = customer.getKey();
            x[i] = totals.size() - 1;
            tx[i] = ChronoUnit.DAYS.between(first, totals.lastKey()) / DAYS_PER_WEEK;
            T[i] = ChronoUnit.DAYS.between(first, calibrationEnd) / DAYS_PER_WEEK;
            if (x[i] > 0) {
                BigDecimal repeatSpend =
                        totals.tailMap(first, false).values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                m[i] = repeatSpend
                        .divide(BigDecimal.valueOf(x[i]), MathContext.DECIMAL64)
                        .doubleValue();
            }
            i++;
        }
        return CustomerSummaries.of(ids, x, tx, T, m);
    }
}
