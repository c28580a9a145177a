package io.loyalflow.recommendation;

import java.util.List;

/**
 * Products to recommend to a customer, from the item-to-item model of the last recommendation refresh.
 * Lists are best first and never name a product the customer already bought, unless its category is
 * consumable; best sellers fill a list the model cannot fill.
 */
public interface ProductRecommender {

    /** The smallest and largest number of products one may ask for. */
    int MIN_COUNT = 1;

    int MAX_COUNT = 20;

    /**
     * Item-to-item for the customer's purchases, upsell mixed in, never an item already bought unless its
     * category is consumable; filled with best sellers; count 1..20 (else IllegalArgumentException).
     */
    List<RecommendedProduct> forCustomer(String customerId, int count);

    /** Same, seeded by one order's items (cross-sell after that order). Unknown order: best sellers. */
    List<RecommendedProduct> afterOrder(String customerId, String orderId, int count);
}
