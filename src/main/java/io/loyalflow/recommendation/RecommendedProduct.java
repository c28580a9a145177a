package io.loyalflow.recommendation;

import java.math.BigDecimal;

/**
 * A product suggested to a customer, best first.
 *
 * @param sku the shop's product id
 * @param category the product's category as order lines name it; null when none did
 * @param price typical recent unit price; null when not known
 * @param score how strongly the model suggests it (comparable within one list only)
 * @param reason why it is suggested: {@link #BOUGHT_TOGETHER}, {@link #ALSO_BOUGHT}, {@link #UPSELL} or
 *     {@link #BEST_SELLER}
 */
public record RecommendedProduct(String sku, String category, BigDecimal price, double score, String reason) {

    /** Often in the same order as one of the customer's products. */
    public static final String BOUGHT_TOGETHER = "BOUGHT_TOGETHER";
    /** Bought, at any time, by the customers who bought one of the customer's products. */
    public static final String ALSO_BOUGHT = "ALSO_BOUGHT";
    /** A higher-priced product of the same category that buyers of one of the customer's products moved to. */
    public static final String UPSELL = "UPSELL";
    /** Sells well (in the customer's categories first): fills the list when the model has too few. */
    public static final String BEST_SELLER = "BEST_SELLER";
}
