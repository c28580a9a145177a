package io.loyalflow.cart;

import java.util.List;

/**
 * Many carts' current states in one request ({@code POST /api/carts/updates}), for a shop's relay that
 * forwards its cart events in batches: each update as in {@code PUT /api/carts/{cartId}}, with its cart's id.
 *
 * @param updates 1 to {@value #MAX_UPDATES} updates, applied in their order (a cart named twice: the later
 *     one applies if it is newer)
 */
public record CartUpdates(List<Update> updates) {

    public static final int MAX_UPDATES = 500;

    /** One cart's state; the fields are those of {@link CartRequest}. */
    public record Update(
            String cartId,
            String customerId,
            List<CartItemRequest> items,
            String currency,
            java.time.OffsetDateTime updatedAt,
            String cartUrl) {

        CartRequest request() {
            return new CartRequest(customerId, items, currency, updatedAt, cartUrl);
        }
    }
}
