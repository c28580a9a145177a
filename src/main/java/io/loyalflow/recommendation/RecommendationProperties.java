package io.loyalflow.recommendation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param window best sellers are ranked by the units sold within this window before the refresh (before now,
 *     while no model exists yet)
 * @param count how many products a recommendation step recommends when the step does not say
 * @param history the refresh learns from the orders placed within this window before it runs
 * @param minimumSupport a pair of products enters the model when at least this many customers (orders, for
 *     bought together) bought both
 * @param neighbours how many products of each kind the model keeps per product
 * @param itemsPerCustomer the refresh pairs only each customer's most recently bought products, up to this many:
 *     a few customers who bought thousands of products would otherwise dominate the cost and the pairs
 * @param minimumTimingObservations a category's cross-sell timing is used from this many observations on
 * @param staleRefreshAfter a refresh claimed for longer than this is taken as dead (its node stopped)
 * @param maxModelAge a model built from the orders up to longer ago than this is stale and not used (the refresh
 *     has stopped): best sellers computed from the orders take its place
 * @param workMemory PostgreSQL only: the {@code work_mem} of the refresh's statements, so that its joins and
 *     groupings hash in memory rather than spill to disk (set per statement, not for the connection pool)
 */
@ConfigurationProperties("loyalflow.recommendations")
record RecommendationProperties(
        Duration window,
        Integer count,
        Duration history,
        Integer minimumSupport,
        Integer neighbours,
        Integer itemsPerCustomer,
        Integer minimumTimingObservations,
        Duration staleRefreshAfter,
        Duration maxModelAge,
        String workMemory) {

    public RecommendationProperties {
        window = window == null ? Duration.ofDays(90) : window;
        count = count == null ? 3 : count;
        history = history == null ? Duration.ofDays(730) : history;
        minimumSupport = minimumSupport == null ? 2 : minimumSupport;
        neighbours = neighbours == null ? 20 : neighbours;
        itemsPerCustomer = itemsPerCustomer == null ? 50 : itemsPerCustomer;
        minimumTimingObservations = minimumTimingObservations == null ? 30 : minimumTimingObservations;
        staleRefreshAfter = staleRefreshAfter == null ? Duration.ofHours(1) : staleRefreshAfter;
        maxModelAge = maxModelAge == null ? Duration.ofDays(7) : maxModelAge;
        positive("max-model-age", maxModelAge);
        workMemory = workMemory == null ? "256MB" : workMemory.trim();
        if (!workMemory.matches("[0-9]{1,7}(kB|MB|GB)")) {
            throw new IllegalArgumentException(
                    "loyalflow.recommendations.work-memory must be a size such as 256MB, got " + workMemory);
        }
        positive("window", window);
        positive("history", history);
        positive("stale-refresh-after", staleRefreshAfter);
        if (count < 1 || count > ProductRecommendations.MAX_COUNT) {
            throw new IllegalArgumentException("loyalflow.recommendations.count must be 1 to "
                    + ProductRecommendations.MAX_COUNT + ", got " + count);
        }
        atLeast("minimum-support", minimumSupport, 1);
        atLeast("neighbours", neighbours, 1);
        atLeast("items-per-customer", itemsPerCustomer, 2);
        atLeast("minimum-timing-observations", minimumTimingObservations, 1);
        if (neighbours > Short.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "loyalflow.recommendations.neighbours must be at most " + Short.MAX_VALUE + ", got " + neighbours);
        }
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("loyalflow.recommendations." + name + " must be positive, got " + value);
        }
    }

    private static void atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(
                    "loyalflow.recommendations." + name + " must be at least " + minimum + ", got " + value);
        }
    }
}
