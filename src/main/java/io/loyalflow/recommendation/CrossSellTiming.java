package io.loyalflow.recommendation;

import java.time.Duration;
import java.util.Optional;

/** When customers tend to buy again in a related category after an order: the timing of a cross-sell offer. */
public interface CrossSellTiming {

    /**
     * Median interval between a purchase in one of the order's categories and the customer's next purchase
     * in a related category, from the last refresh; empty when too little data (the campaign default applies).
     */
    Optional<Duration> medianIntervalAfter(String orderId);
}
