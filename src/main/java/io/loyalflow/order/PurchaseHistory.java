package io.loyalflow.order;

import io.loyalflow.customer.PurchaseFeatureSource;
import io.loyalflow.customer.PurchaseFeatures;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * A customer's purchase features, computed from their stored orders when asked, so they always
 * agree with those orders and with "now". Calendar days and hours are the customer's own.
 */
@Component
class PurchaseHistory implements PurchaseFeatureSource {

    private final OrderStore store;
    private final OrderProperties properties;
    private final Clock clock;

    PurchaseHistory(OrderStore store, OrderProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public PurchaseFeatures featuresOf(long customerKey, ZoneId zone) {
        return compute(store.placedOrders(customerKey), zone, clock.instant(), properties.currency());
    }

    static PurchaseFeatures compute(List<OrderStore.PlacedOrder> orders, ZoneId zone, Instant now, Currency currency) {
        int scale = Math.max(currency.getDefaultFractionDigits(), 0);
        BigDecimal zero = BigDecimal.ZERO.setScale(scale);
        if (orders.isEmpty()) {
            return new PurchaseFeatures(currency.getCurrencyCode(), null, null, 0, 0, zero, null, zero, null, null);
        }
        Instant twelveMonthsAgo = now.atZone(zone).minusMonths(12).toInstant();
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal lastTwelveMonths = BigDecimal.ZERO;
        Set<LocalDate> days = new HashSet<>();
        int[] ordersByHour = new int[24];
        Instant first = orders.get(0).placedAt();
        Instant last = first;
        for (OrderStore.PlacedOrder order : orders) {
            ZonedDateTime local = order.placedAt().atZone(zone);
            total = total.add(order.amount());
            if (order.placedAt().isAfter(twelveMonthsAgo)) {
                lastTwelveMonths = lastTwelveMonths.add(order.amount());
            }
            days.add(local.toLocalDate());
            ordersByHour[local.getHour()]++;
            first = order.placedAt().isBefore(first) ? order.placedAt() : first;
            last = order.placedAt().isAfter(last) ? order.placedAt() : last;
        }
        int usualHour = 0;
        for (int hour = 1; hour < 24; hour++) {
            if (ordersByHour[hour] > ordersByHour[usualHour]) {
                usualHour = hour;
            }
        }
        long daysSinceLast = Math.max(
                0,
                ChronoUnit.DAYS.between(
                        last.atZone(zone).toLocalDate(), now.atZone(zone).toLocalDate()));
        return new PurchaseFeatures(
                currency.getCurrencyCode(),
                first,
                last,
                orders.size(),
                days.size(),
                total.setScale(scale, RoundingMode.HALF_UP),
                total.divide(BigDecimal.valueOf(orders.size()), scale, RoundingMode.HALF_UP),
                lastTwelveMonths.setScale(scale, RoundingMode.HALF_UP),
                daysSinceLast,
                usualHour);
    }
}
