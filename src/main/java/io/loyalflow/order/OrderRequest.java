package io.loyalflow.order;

import io.loyalflow.customer.CustomerIds;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An order as shops send it, to {@code POST /api/orders} or as one line of a bulk import.
 *
 * @param cartId the shop's cart the order was placed from (optional): that cart closes as converted
 */
public record OrderRequest(
        @NotNull @Pattern(regexp = OrderRequest.ORDER_ID, message = "must be " + OrderRequest.ORDER_ID_RULE)
        String orderId,

        @NotNull @Pattern(regexp = CustomerIds.REGEX, message = "must be " + CustomerIds.RULE)
        String customerId,

        @NotNull OffsetDateTime placedAt,

        @NotNull @PositiveOrZero @Digits(integer = 15, fraction = 4)
        BigDecimal amount,

        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD")
        String currency,

        @Size(max = 1000) List<@NotNull @Valid OrderItemRequest> items,

        @Pattern(regexp = OrderRequest.ORDER_ID, message = "must be " + OrderRequest.ORDER_ID_RULE)
        String cartId) {

    static final String ORDER_ID = "[A-Za-z0-9][A-Za-z0-9._:@+-]{0,99}";
    static final String ORDER_ID_RULE = "1 to 100 letters, digits or . _ : @ + -, starting with a letter or digit";

    public OrderRequest {
        items = items == null ? List.of() : items;
    }

    /** An order that names no cart. */
    public OrderRequest(
            String orderId,
            String customerId,
            OffsetDateTime placedAt,
            BigDecimal amount,
            String currency,
            List<OrderItemRequest> items) {
        this(orderId, customerId, placedAt, amount, currency, items, null);
    }
}
