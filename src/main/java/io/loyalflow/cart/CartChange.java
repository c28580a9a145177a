package io.loyalflow.cart;

import java.time.Instant;

/**
 * What journeys react to: the cart's latest accepted state.
 *
 * @param customerKey the customer's internal key, null while the cart is anonymous
 * @param version bumped by every accepted change
 * @param updatedAt the shop's time of the latest accepted change
 * @param itemCount lines in the cart
 */
public record CartChange(
        String cartId, Long customerKey, long version, CartStatus status, Instant updatedAt, int itemCount) {}
