package io.loyalflow.order;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * What the welcome programme asks about a customer's orders, read from the order module's own tables:
 * the customer's earliest stored order (by placement time, ties by order id), how many orders are stored,
 * and the main category of one order (the category with the largest spend on its lines).
 */
@Service
public class FirstOrders {

    private final JdbcTemplate jdbc;

    FirstOrders(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One stored order: its id and when it was placed. */
    public record StoredOrderRef(String orderId, Instant placedAt) {}

    /** The customer's earliest stored order: the smallest placement time, ties by the smallest order id. */
    public Optional<StoredOrderRef> earliest(long customerKey) {
        List<StoredOrderRef> rows = jdbc.query(
                "select order_id, placed_at from customer_order where customer_key = ? "
                        + "order by placed_at, order_id fetch first 1 rows only",
                (rs, row) -> new StoredOrderRef(
                        rs.getString(1),
                        rs.getObject(2, OffsetDateTime.class)
                                .withOffsetSameInstant(ZoneOffset.UTC)
                                .toInstant()),
                customerKey);
        return rows.stream().findFirst();
    }

    /** How many orders of the customer are stored. */
    public int count(long customerKey) {
        Integer count = jdbc.queryForObject(
                "select count(*) from customer_order where customer_key = ?", Integer.class, customerKey);
        return count == null ? 0 : count;
    }

    /**
     * The category the order spent most on (quantity times unit price over its lines; ties by the category's
     * name), empty when none of its lines names a category.
     */
    public Optional<String> mainCategory(String orderId) {
        return jdbc
                .queryForList(
                        "select category from customer_order_item where order_id = ? and category is not null "
                                + "group by category order by sum(quantity * unit_price) desc, category "
                                + "fetch first 1 rows only",
                        String.class,
                        orderId)
                .stream()
                .findFirst();
    }
}
