package io.loyalflow.cart;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** One line of a cart as the shop sends it; the URLs must be http(s). */
public record CartItemRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = TEXT, message = "must not contain control characters")
        String sku,

        @NotBlank @Size(max = 200) @Pattern(regexp = TEXT, message = "must not contain control characters")
        String name,

        @NotNull @Min(1) @Max(10_000) Integer quantity,

        @NotNull @PositiveOrZero @Digits(integer = 8, fraction = 2)
        BigDecimal unitPrice,

        @Size(max = 100)
        @Pattern(
                regexp = "[^\\p{Cntrl}]*[^\\p{Cntrl}\\s][^\\p{Cntrl}]*",
                message = "must not be blank or contain control characters (leave it out when unknown)")
        String category,

        @Size(max = CartRequest.MAX_URL) String productUrl,

        @Size(max = CartRequest.MAX_URL) String imageUrl) {

    static final String TEXT = "[^\\p{Cntrl}]*";
}
