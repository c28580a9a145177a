package io.loyalflow.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** An order as stored; {@code customerId} is null once that customer's personal data was erased. */
record StoredOrder(
        String orderId,
        String customerId,
        Instant placedAt,
        BigDecimal amount,
        String currency,
        List<ValidOrder.Item> items,
        String fingerprint,
        Instant receivedAt,
        String cartId) {}
