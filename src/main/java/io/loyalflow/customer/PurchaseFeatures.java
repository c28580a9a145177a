package io.loyalflow.customer;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a customer's stored orders say about them, computed from those orders at the moment of
 * asking, so it can never disagree with them. Days and hours are counted in the customer's time
 * zone.
 *
 * @param purchaseDays distinct calendar days with at least one order
 * @param averageOrderValue total spend divided by the number of orders, rounded half-up to the currency's minor unit
 * @param spendLast12Months spend on orders placed in the twelve months up to now
 * @param daysSinceLastOrder calendar days from the last order's day to today
 * @param usualPurchaseHour the hour of day (0–23) most of the orders were placed in; the earliest such hour on a tie
 */
public record PurchaseFeatures(
        String currency,
        Instant firstOrderAt,
        Instant lastOrderAt,
        long orders,
        long purchaseDays,
        BigDecimal totalSpend,
        BigDecimal averageOrderValue,
        BigDecimal spendLast12Months,
        Long daysSinceLastOrder,
        Integer usualPurchaseHour) {}
