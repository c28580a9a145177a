package io.loyalflow.clv;

/**
 * What the models predict for one customer over the scoring horizon.
 *
 * @param customerId null when the summaries carry no ids
 * @param expectedPurchases expected purchase days within the horizon (BG/NBD)
 * @param probabilityAlive probability the customer has not dropped out (BG/NBD)
 * @param expectedOrderValue expected value of each of those purchases (Gamma-Gamma; the population mean
 *     for customers without a repeat purchase)
 * @param predictedValue expectedPurchases × expectedOrderValue, undiscounted
 * @param valuePercentile percent rank of predictedValue among the scored customers: the share of them
 *     with a lower value, 0 for the lowest, 1 for the highest, equal values ranking equal
 */
record CustomerValuePrediction(
        String customerId,
        double expectedPurchases,
        double probabilityAlive,
        double expectedOrderValue,
        double predictedValue,
        double valuePercentile) {}
