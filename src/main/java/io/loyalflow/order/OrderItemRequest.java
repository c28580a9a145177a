package io.loyalflow.order;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/**
 * One line of an order.
 *
 * @param category the product's category in the shop's catalogue (optional; product recommendations
 *     use it: top sellers among the categories a customer bought)
 */
public record OrderItemRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String sku,

        @NotNull @Min(1) @Max(1_000_000) Integer quantity,

        @NotNull @PositiveOrZero @Digits(integer = 15, fraction = 4)
        BigDecimal unitPrice,

        @Size(max = 100)
        @Pattern(
                regexp = "[^\\p{Cntrl}]*[^\\p{Cntrl}\\s][^\\p{Cntrl}]*",
                message = "must not be blank or contain control characters (leave it out when unknown)")
        String category) {}
