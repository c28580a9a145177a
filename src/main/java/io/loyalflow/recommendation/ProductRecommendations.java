package io.loyalflow.recommendation;

import io.loyalflow.platform.db.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Best sellers computed from the orders, for recommendations before the first recommendation refresh: the best sellers (units sold over a
 * recent window) among the categories the customer has bought, leaving out products the customer
 * already bought. When the customer's categories do not fill the list (no category known, or too few
 * best sellers there), the overall best sellers fill it. One SQL query, run by the database.
 */
@Service
class ProductRecommendations {

    /** A journey keeps its recommendations in a process variable (a string of at most 4000 characters): a handful, for a step. */
    public static final int MAX_COUNT = 8;

    /** A recommended product; {@code category} is null when no order line named one. */
    public record Product(String sku, String category) {}

    // Products of the customer's categories rank first (in_categories), then by units sold; the sku breaks
    // ties so the same data always gives the same list.
    private static final String TOP_SELLERS = """
      with bought as (
        select i.sku, i.category from v_customer_order o
        join v_customer_order_item i on i.order_id = o.order_id
        where o.customer_key = (select customer_key from v_customer where customer_id = ?)
      ),
      own_categories as (
        select distinct category from bought where category is not null
      )
      select i.sku, min(coalesce(c.category, i.category)) category, sum(i.quantity) units
      from v_customer_order o
      join v_customer_order_item i on i.order_id = o.order_id
      left join own_categories c on c.category = i.category
      where o.placed_at >= ? and o.placed_at <= ?
        and not exists (select 1 from bought b where b.sku = i.sku)
      group by i.sku
      order by case when count(c.category) > 0 then 0 else 1 end, sum(i.quantity) desc, i.sku
      fetch first ? rows only
      """;

    private final JdbcTemplate jdbc;
    private final RecommendationProperties properties;
    private final Clock clock;

    ProductRecommendations(JdbcTemplate jdbc, RecommendationProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** The configured number of recommendations for the customer. */
    public List<Product> forCustomer(String customerId) {
        return forCustomer(customerId, properties.count());
    }

    /** Up to {@code count} products for the customer, best first; empty when nothing sold in the window. */
    public List<Product> forCustomer(String customerId, int count) {
        if (count < ProductRecommender.MIN_COUNT || count > ProductRecommender.MAX_COUNT) {
            throw new IllegalArgumentException("count must be 1 to " + ProductRecommender.MAX_COUNT + ", got " + count);
        }
        Instant now = clock.instant();
        return jdbc.query(
                TOP_SELLERS,
                (rs, row) -> new Product(rs.getString("sku"), rs.getString("category")),
                customerId,
                Timestamps.utc(now.minus(properties.window())),
                Timestamps.utc(now),
                count);
    }
}
