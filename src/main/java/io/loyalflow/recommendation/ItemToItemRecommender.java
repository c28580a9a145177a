package io.loyalflow.recommendation;

import io.loyalflow.platform.db.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Item-to-item recommendations: the products most often bought by the customers who bought the seed
 * products (the customer's, or one order's), without the customer's own; best sellers fill the list.
 */
@Service
class ItemToItemRecommender implements ProductRecommender {

    private static final String ALSO_BOUGHT = """
      with seed as (
        select distinct i.sku from v_customer_order o
        join v_customer_order_item i on i.order_id = o.order_id
        where o.customer_key = (select customer_key from v_customer where customer_id = ?)
          and (cast(? as varchar(100)) is null or o.order_id = ?)
      ),
      mine as (
        select distinct i.sku from v_customer_order o
        join v_customer_order_item i on i.order_id = o.order_id
        where o.customer_key = (select customer_key from v_customer where customer_id = ?)
      ),
      neighbours as (
        select distinct o.customer_key from v_customer_order o
        join v_customer_order_item i on i.order_id = o.order_id
        where i.sku in (select sku from seed)
          and o.customer_key <> coalesce((select customer_key from v_customer where customer_id = ?), -1)
      )
      select i.sku, max(i.category) category, avg(i.unit_price) price, count(distinct o.customer_key) buyers
      from neighbours n
      join v_customer_order o on o.customer_key = n.customer_key
      join v_customer_order_item i on i.order_id = o.order_id
      where o.placed_at <= ? and i.sku not in (select sku from mine)
      group by i.sku
      order by count(distinct o.customer_key) desc, i.sku
      fetch first ? rows only
      """;

    private final JdbcTemplate jdbc;
    private final ProductRecommendations bestSellers;
    private final Clock clock;

    ItemToItemRecommender(JdbcTemplate jdbc, ProductRecommendations bestSellers, Clock clock) {
        this.jdbc = jdbc;
        this.bestSellers = bestSellers;
        this.clock = clock;
    }

    @Override
    public List<RecommendedProduct> forCustomer(String customerId, int count) {
        return recommend(customerId, null, count);
    }

    @Override
    public List<RecommendedProduct> afterOrder(String customerId, String orderId, int count) {
        return recommend(customerId, orderId, count);
    }

    private List<RecommendedProduct> recommend(String customerId, String orderId, int count) {
        if (count < MIN_COUNT || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be " + MIN_COUNT + " to " + MAX_COUNT + ", got " + count);
        }
        Instant now = clock.instant();
        List<RecommendedProduct> found = new ArrayList<>(jdbc.query(
                ALSO_BOUGHT,
                (rs, row) -> new RecommendedProduct(
                        rs.getString("sku"),
                        rs.getString("category"),
                        rs.getBigDecimal("price"),
                        rs.getLong("buyers"),
                        RecommendedProduct.ALSO_BOUGHT),
                customerId,
                orderId,
                orderId,
                customerId,
                customerId,
                Timestamps.utc(now),
                count));
        if (found.size() < count) {
            Set<String> named = new LinkedHashSet<>();
            found.forEach(p -> named.add(p.sku()));
            for (ProductRecommendations.Product p :
                    bestSellers.forCustomer(customerId, Math.min(ProductRecommendations.MAX_COUNT, count))) {
                if (found.size() < count && named.add(p.sku())) {
                    found.add(new RecommendedProduct(p.sku(), p.category(), null, 0, RecommendedProduct.BEST_SELLER));
                }
            }
        }
        return List.copyOf(found);
    }
}
