package io.loyalflow.order;

import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.ViewColumns;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The order module's views (V23), through which segment, clv and recommendation read orders: every
 * order and line as stored, without the fingerprints.
 */
class OrderViewsTest extends DatabaseTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theViewsShowOrdersAndTheirLinesAsStored() {
        String orderId = "views-" + UUID.randomUUID().toString().substring(0, 8);
        String customerId = "views-" + UUID.randomUUID().toString().substring(0, 8);
        as(SERVICE)
                .body(OrderApiTest.order(orderId, customerId))
                .post("/api/orders")
                .then()
                .statusCode(201);

        assertThat(ViewColumns.of(jdbc, "v_customer_order"))
                .containsExactly("order_id", "customer_key", "placed_at", "amount", "currency");
        assertThat(jdbc.query(
                        "select o.customer_key, o.placed_at, o.amount, o.currency, c.customer_key "
                                + "from v_customer_order o join customer_order c on c.order_id = o.order_id where o.order_id = ?",
                        (rs, row) -> (rs.getLong(1) == rs.getLong(5)) + " "
                                + rs.getObject(2, java.time.OffsetDateTime.class)
                                        .toInstant() + " "
                                + rs.getBigDecimal(3).stripTrailingZeros().toPlainString() + " " + rs.getString(4),
                        orderId))
                .containsExactly("true 2026-03-01T18:30:00Z 59.9 USD");

        assertThat(ViewColumns.of(jdbc, "v_customer_order_item"))
                .containsExactly("order_id", "line_no", "sku", "quantity", "unit_price", "category");
        assertThat(jdbc.query(
                        "select sku, quantity, unit_price from v_customer_order_item where order_id = ? "
                                + "order by line_no",
                        (rs, row) -> rs.getString(1) + " x" + rs.getInt(2) + " @"
                                + rs.getBigDecimal(3).stripTrailingZeros().toPlainString(),
                        orderId))
                .containsExactly("SHOE-38 x1 @49.9", "SOCKS x2 @5");
    }
}
