package io.loyalflow.cart;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The reminder's contents.
 *
 * @param items at most {@link CartQueries#CONTENT_ITEMS} lines, as maps with the keys sku, name, quantity,
 *     unitPrice, category, productUrl, imageUrl and lineTotal
 * @param itemCount all lines of the cart (may be more than {@code items} shows)
 * @param total quantity times unit price over all lines
 * @param cartUrl the link back to the cart the shop sent, else the configured pattern
 *     ({@code loyalflow.carts.cart-url}) with the cart's id
 */
public record CartContents(
        String cartId,
        List<Map<String, Object>> items,
        int itemCount,
        BigDecimal total,
        String currency,
        String cartUrl) {}
