package io.loyalflow.customer;

import java.util.Optional;

/** Where a customer's value prediction comes from (the customer-value model); the customer view shows it. */
public interface ValuePredictions {

    Optional<ValuePrediction> of(long customerKey);
}
