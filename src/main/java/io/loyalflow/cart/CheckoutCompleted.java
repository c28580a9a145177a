package io.loyalflow.cart;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.OffsetDateTime;

/**
 * The shop completed the cart's checkout.
 *
 * @param orderId the order it became (optional; the order itself comes through the order intake)
 */
public record CheckoutCompleted(
        @NotNull OffsetDateTime at,

        @Pattern(regexp = CartRules.ID, message = "must be " + CartRules.ID_RULE)
        String orderId) {}
