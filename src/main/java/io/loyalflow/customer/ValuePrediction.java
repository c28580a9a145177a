package io.loyalflow.customer;

import java.time.LocalDate;

/**
 * What the customer-value model predicts for a customer over its horizon (12 months), from the fit
 * whose predictions are in place.
 *
 * @param valuePercentile percent rank of the predicted value among the customers that fit scored (1 = top)
 */
public record ValuePrediction(
        long fitVersion,
        LocalDate calibrationEnd,
        double horizonWeeks,
        double expectedPurchases,
        double probabilityAlive,
        double expectedOrderValue,
        double predictedValue,
        double valuePercentile) {}
