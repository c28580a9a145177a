package io.loyalflow.recommendation;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The median time from a purchase in one of an order's categories to the same customer's next order with
 * a product of another category, over all customers' orders.
 */
@Service
class CrossSellTimings implements CrossSellTiming {

    /** Fewer observations than this say nothing reliable: no median. */
    static final int MINIMUM_OBSERVATIONS = 20;

    private static final String INTERVALS = """
      with cats as (
        select distinct category from v_customer_order_item where order_id = ? and category is not null
      ),
      bought as (
        select distinct o.customer_key, o.order_id, o.placed_at, i.category from v_customer_order o
        join v_customer_order_item i on i.order_id = o.order_id
        where i.category is not null
      )
      select extract(epoch from min(b.placed_at)) - extract(epoch from a.placed_at) seconds
      from bought a
      join bought b on b.customer_key = a.customer_key and b.placed_at > a.placed_at and b.category <> a.category
      where a.category in (select category from cats)
      group by a.customer_key, a.order_id, a.category, a.placed_at
      """;

    private final JdbcTemplate jdbc;

    CrossSellTimings(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Duration> medianIntervalAfter(String orderId) {
        List<Double> seconds = jdbc.queryForList(INTERVALS, Double.class, orderId).stream()
                .sorted()
                .toList();
        if (seconds.size() < MINIMUM_OBSERVATIONS) {
            return Optional.empty();
        }
        int n = seconds.size();
        double median = n % 2 == 1 ? seconds.get(n / 2) : (seconds.get(n / 2 - 1) + seconds.get(n / 2)) / 2;
        return Optional.of(Duration.ofSeconds(Math.round(median)));
    }
}
