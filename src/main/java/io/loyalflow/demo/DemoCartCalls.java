package io.loyalflow.demo;

import java.time.Instant;
import java.util.List;

/** What the demo shop tells the cart module, as a shop's calls of {@code /api/carts/{id}} would. */
interface DemoCartCalls {

    /** {@code PUT /api/carts/{cartId}}: the cart's lines now (empty: cleared), its customer once known. */
    void put(String cartId, String customerId, List<DemoShop.Line> lines, String currency, Instant at, String cartUrl);

    /** {@code POST /api/carts/{cartId}/cleared} */
    void cleared(String cartId, Instant at);

    /** {@code POST /api/carts/{cartId}/checkout-started} */
    void checkoutStarted(String cartId, Instant at);
}
