package io.loyalflow.cart;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A stored cart as the API shows it.
 *
 * @param customerId null while the cart is anonymous (or its customer was erased)
 * @param updatedAt the shop's time of the latest accepted change
 * @param itemCount lines in the cart
 * @param orderId the order that converted it, when the shop said
 * @param receivedAt when Loyalflow first heard of the cart
 * @param changedAt when Loyalflow accepted its latest change
 */
public record CartView(
        String cartId,
        String customerId,
        CartStatus status,
        long version,
        Instant updatedAt,
        String currency,
        List<CartItem> items,
        int itemCount,
        BigDecimal total,
        String cartUrl,
        String orderId,
        Instant receivedAt,
        Instant changedAt) {}
