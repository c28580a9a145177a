package io.loyalflow.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order as the API shows it. {@code customerId} is null once the customer was erased; {@code cartId}
 * is null when the order named no cart.
 */
record OrderView(
        String orderId,
        String customerId,
        Instant placedAt,
        BigDecimal amount,
        String currency,
        List<ItemView> items,
        Instant receivedAt,
        String cartId) {

    public record ItemView(String sku, int quantity, BigDecimal unitPrice, String category) {}

    static OrderView of(StoredOrder order) {
        return new OrderView(
                order.orderId(),
                order.customerId(),
                order.placedAt(),
                order.amount(),
                order.currency(),
                order.items().stream()
                        .map(i -> new ItemView(i.sku(), i.quantity(), i.unitPrice(), i.category()))
                        .toList(),
                order.receivedAt(),
                order.cartId());
    }
}
