package io.loyalflow.cart;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Reading carts, for other modules (journeys, their steps). */
@Service
public class CartQueries {

    /** The most lines {@link #contents} gives (a reminder shows no more). */
    public static final int CONTENT_ITEMS = 20;

    private final CartStore store;
    private final CartService carts;
    private final CartProperties properties;

    CartQueries(CartStore store, CartService carts, CartProperties properties) {
        this.store = store;
        this.carts = carts;
        this.properties = properties;
    }

    /** The cart's latest accepted state. */
    public Optional<CartChange> current(String cartId) {
        return store.current(cartId);
    }

    /** What a reminder shows of the cart. */
    public Optional<CartContents> contents(String cartId) {
        return store.stored(cartId).map(cart -> {
            List<CartItem> items = carts.read(cart.items());
            List<Map<String, Object>> shown = new ArrayList<>();
            for (CartItem item : items.subList(0, Math.min(CONTENT_ITEMS, items.size()))) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("sku", item.sku());
                line.put("name", item.name());
                line.put("quantity", item.quantity());
                line.put("unitPrice", item.unitPrice());
                line.put("category", item.category());
                line.put("productUrl", item.productUrl());
                line.put("imageUrl", item.imageUrl());
                line.put("lineTotal", item.unitPrice().multiply(BigDecimal.valueOf(item.quantity())));
                shown.add(line);
            }
            BigDecimal total = cart.total().stripTrailingZeros();
            if (total.scale() < 2) {
                total = total.setScale(2, RoundingMode.UNNECESSARY);
            }
            return new CartContents(
                    cart.cartId(),
                    shown,
                    cart.itemCount(),
                    total,
                    cart.currency(),
                    cart.cartUrl() != null
                            ? cart.cartUrl()
                            : properties.cartUrl().replace("{cartId}", cart.cartId()));
        });
    }
}
