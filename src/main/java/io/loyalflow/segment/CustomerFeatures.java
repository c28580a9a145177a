package io.loyalflow.segment;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;

/**
 * What a refresh knows of one customer: purchase features from the set-based pass.
 *
 * @param spendPercentile percent rank of total spend among recent buyers (0 lowest, 1 highest); null
 *     for customers without a recent order
 * @param daysSinceLastOrder calendar days from the last order's day to today, in the customer's zone;
 *     null for customers who never ordered
 * @param medianInterpurchaseDays the median of the days between consecutive purchase days (calendar days in the
 *     customer's zone; several orders on one day are one purchase day); null for customers with fewer than two
 *     purchase days
 */
record CustomerFeatures(
        long customerKey,
        String customerId,
        ZoneId zone,
        Instant firstOrderAt,
        Instant lastOrderAt,
        long orders,
        long orders12Months,
        BigDecimal spend12Months,
        BigDecimal totalSpend,
        boolean recentBuyer,
        Double spendPercentile,
        Long daysSinceLastOrder,
        Double medianInterpurchaseDays) {}
