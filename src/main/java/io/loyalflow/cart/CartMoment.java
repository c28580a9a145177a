package io.loyalflow.cart;

import jakarta.validation.constraints.NotNull;
import java.time.OffsetDateTime;

/** When something happened to a cart in the shop ({@code cleared}, {@code checkout-started}). */
public record CartMoment(@NotNull OffsetDateTime at) {}
