package io.loyalflow.demo;

import io.loyalflow.cart.CartItemRequest;
import io.loyalflow.cart.CartMoment;
import io.loyalflow.cart.CartRequest;
import io.loyalflow.cart.CartService;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * The demo shop's calls through the cart module's public service, the one behind {@code /api/carts/{id}}: the same
 * validation, idempotency and journeys' signals as a shop's requests.
 */
@Component
@Conditional(SimulatorGuard.class)
class DemoCartClient implements DemoCartCalls {

    private final CartService carts;

    DemoCartClient(CartService carts) {
        this.carts = carts;
    }

    @Override
    public void put(
            String cartId, String customerId, List<DemoShop.Line> lines, String currency, Instant at, String cartUrl) {
        carts.update(
                cartId,
                new CartRequest(
                        customerId,
                        lines.stream()
                                .map(line -> new CartItemRequest(
                                        line.product().sku(),
                                        line.product().name(),
                                        line.quantity(),
                                        line.product().unitPrice(),
                                        line.product().category(),
                                        line.product().productUrl(),
                                        line.product().imageUrl()))
                                .toList(),
                        currency,
                        at.atOffset(ZoneOffset.UTC),
                        cartUrl));
    }

    @Override
    public void cleared(String cartId, Instant at) {
        carts.cleared(cartId, new CartMoment(at.atOffset(ZoneOffset.UTC)));
    }

    @Override
    public void checkoutStarted(String cartId, Instant at) {
        carts.checkoutStarted(cartId, new CartMoment(at.atOffset(ZoneOffset.UTC)));
    }
}
