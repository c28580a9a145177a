package io.loyalflow.order;

import java.time.Instant;
import java.util.List;

/**
 * Orders stored for the first time, published in the transaction that stores them: one event per
 * stored batch (a single order from the API, or one chunk of an import), so a large import
 * publishes as many events as it has chunks. A repeat of an order already stored is not in it.
 * Durable: the event publication registry keeps it until every listener has handled it.
 *
 * <p>Customers appear by their internal key, never by their external id, so a stored event names
 * no one once that customer is erased.
 *
 * @param recordedAt when Loyalflow stored the orders; journeys that entered after it are not
 *     concerned by them
 */
public record OrdersRecorded(Instant recordedAt, List<Order> orders) {

    public OrdersRecorded {
        orders = List.copyOf(orders);
    }

    /**
     * One new order: its id, the customer's internal key, when it was placed, and the shop's cart it
     * was placed from (null when the order names none).
     */
    public record Order(String orderId, long customerKey, Instant placedAt, String cartId) {

        /** An order that names no cart. */
        public Order(String orderId, long customerKey, Instant placedAt) {
            this(orderId, customerKey, placedAt, null);
        }
    }
}
