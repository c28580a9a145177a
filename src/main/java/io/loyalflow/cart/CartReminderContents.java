package io.loyalflow.cart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * What the "Load the cart's contents" step writes for a reminder: the cart's items as a JSON array that fits a
 * process variable's text ({@value #MAX_ITEMS_JSON} characters: the last lines are left out when longer, never
 * a line cut in half), empty fields left out, and the cart's link, total, currency and line count.
 */
@Service
class CartReminderContents {

    static final int MAX_ITEMS_JSON = 4000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The values of {@link CartVariables}' outputs. */
    record Reminder(String items, String cartUrl, String total, String currency, int itemCount) {}

    private final CartQueries carts;

    CartReminderContents(CartQueries carts) {
        this.carts = carts;
    }

    /** Empty when there is no such cart (erased with its customer). */
    Optional<Reminder> of(String cartId) {
        return carts.contents(cartId)
                .map(contents -> new Reminder(
                        itemsJson(contents.items()),
                        contents.cartUrl(),
                        contents.total().toPlainString(),
                        contents.currency(),
                        contents.itemCount()));
    }

    static String itemsJson(List<Map<String, Object>> items) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Map<String, Object> item : items) {
            Map<String, Object> line = new LinkedHashMap<>();
            item.forEach((key, value) -> {
                if (value != null) {
                    line.put(key, value);
                }
            });
            lines.add(line);
        }
        String json = write(lines);
        while (json.length() > MAX_ITEMS_JSON && !lines.isEmpty()) {
            lines.remove(lines.size() - 1);
            json = write(lines);
        }
        return json;
    }

    private static String write(List<Map<String, Object>> lines) {
        try {
            return JSON.writeValueAsString(lines);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cart items cannot be written as JSON", e);
        }
    }
}
