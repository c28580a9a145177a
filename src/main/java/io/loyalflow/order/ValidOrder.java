package io.loyalflow.order;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * An order that passed validation, with the fingerprint of its content: the same order sent
 * again (even with {@code 10.0} for {@code 10} or another offset for the same instant) has the
 * same fingerprint, a changed one does not.
 */
record ValidOrder(
        String orderId,
        String customerId,
        Instant placedAt,
        BigDecimal amount,
        String currency,
        List<Item> items,
        String cartId,
        String fingerprint) {

    /** @param category null when the shop did not say */
    record Item(String sku, int quantity, BigDecimal unitPrice, String category) {}

    static ValidOrder of(OrderRequest request) {
        List<Item> items = request.items().stream()
                .map(item -> new Item(item.sku(), item.quantity(), item.unitPrice(), item.category()))
                .toList();
        Instant placedAt = request.placedAt().toInstant();
        return new ValidOrder(
                request.orderId(),
                request.customerId(),
                placedAt,
                request.amount(),
                request.currency(),
                items,
                request.cartId(),
                fingerprint(
                        request.orderId(),
                        request.customerId(),
                        placedAt,
                        request.amount(),
                        request.currency(),
                        items,
                        request.cartId()));
    }

    static String fingerprint(
            String orderId,
            String customerId,
            Instant placedAt,
            BigDecimal amount,
            String currency,
            List<Item> items,
            String cartId) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            StringBuilder canonical = new StringBuilder(128);
            field(canonical, orderId);
            field(canonical, customerId);
            field(canonical, placedAt.toString());
            field(canonical, plain(amount));
            field(canonical, currency);
            for (Item item : items) {
                field(canonical, item.sku());
                field(canonical, Integer.toString(item.quantity()));
                // The category joins the price field behind a '|', which a plain number never contains: orders
                // without categories keep the fingerprint they were stored with before categories existed.
                field(
                        canonical,
                        item.category() == null
                                ? plain(item.unitPrice())
                                : plain(item.unitPrice()) + "|" + item.category());
            }
            // After the items, behind a marker no item field starts with (a length prefix starts with a digit):
            // orders without a cart keep the fingerprint they were stored with before carts existed.
            if (cartId != null) {
                canonical.append("cart=");
                field(canonical, cartId);
            }
            return HexFormat.of().formatHex(digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Length-prefixed, so no choice of values can make two different orders read the same. */
    private static void field(StringBuilder out, String value) {
        out.append(value.length()).append(':').append(value);
    }

    private static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }
}
