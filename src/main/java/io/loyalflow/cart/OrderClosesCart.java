package io.loyalflow.cart;

import io.loyalflow.order.OrdersRecorded;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Orders close carts as converted: the cart an order names (an anonymous one becomes the order's
 * customer's; a cart not heard of yet is stored converted, so the shop's late updates of it open nothing),
 * and every open cart of the order's customer last updated at or before the order was placed.
 *
 * <p>Idempotent: a converted cart is not converted again, so a resubmitted event changes nothing. Carts
 * are changed in cart id and customer order, so two batches do not deadlock each other.
 */
@Component
class OrderClosesCart {

    static final String LISTENER_ID = "cart.order-closes-cart";

    private final CartStore store;
    private final Clock clock;

    OrderClosesCart(CartStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @ApplicationModuleListener(id = LISTENER_ID)
    void on(OrdersRecorded recorded) {
        Instant now = clock.instant();
        recorded.orders().stream()
                .filter(order -> order.cartId() != null)
                .sorted(Comparator.comparing(OrdersRecorded.Order::cartId))
                .forEach(order -> store.apply(new CartStore.Change(
                        CartStore.Kind.CONVERTED,
                        order.cartId(),
                        order.customerKey(),
                        CartStatus.CONVERTED,
                        order.placedAt(),
                        null,
                        CartStore.EMPTY_ITEMS,
                        0,
                        BigDecimal.ZERO,
                        null,
                        order.orderId(),
                        now)));
        List<CartStore.CustomerOrder> byCustomer = recorded.orders().stream()
                .map(order -> new CartStore.CustomerOrder(order.customerKey(), order.placedAt()))
                .sorted(Comparator.comparingLong(CartStore.CustomerOrder::customerKey)
                        .thenComparing(CartStore.CustomerOrder::placedAt))
                .toList();
        store.convertOpenCarts(byCustomer, now);
    }
}
