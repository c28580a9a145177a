package io.loyalflow.cart;

import io.loyalflow.customer.CustomerIds;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A cart as the shop sends it to {@code PUT /api/carts/{cartId}}: its whole current state.
 *
 * @param customerId the shop's customer, null while the cart is anonymous
 * @param items the cart's lines; empty when the cart was emptied
 * @param updatedAt when the cart changed in the shop: an update not newer than the stored one changes nothing
 * @param cartUrl a link back to the cart (optional)
 */
public record CartRequest(
        @Pattern(regexp = CustomerIds.REGEX, message = "must be " + CustomerIds.RULE)
        String customerId,

        @NotNull @Size(max = CartRequest.MAX_ITEMS) List<@NotNull @Valid CartItemRequest> items,

        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR")
        String currency,

        @NotNull OffsetDateTime updatedAt,

        @Size(max = CartRequest.MAX_URL) String cartUrl) {

    public static final int MAX_ITEMS = 200;
    public static final int MAX_URL = 2000;
}
