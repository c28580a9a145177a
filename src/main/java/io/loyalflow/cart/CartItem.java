package io.loyalflow.cart;

import java.math.BigDecimal;

/**
 * One line of a stored cart.
 *
 * @param category the product's category in the shop's catalogue, null when the shop did not say
 * @param productUrl link to the product page, null when the shop did not say
 * @param imageUrl link to the product image, null when the shop did not say
 */
public record CartItem(
        String sku,
        String name,
        int quantity,
        BigDecimal unitPrice,
        String category,
        String productUrl,
        String imageUrl) {}
