package io.loyalflow.recommendation;

import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The recommendation refresh over 2,500,000 order lines of 20,000 products on PostgreSQL, and recommendations for
 * one customer from the model: {@code ./mvnw -Pbench-recommendations test} (figures to
 * bench/work/recommendation-results.txt and docs/performance.md). The orders are written straight into the order
 * tables with generate_series (a test's shortcut for the load; the refresh is the real one): 250,000 customers
 * with 1 to 7 orders over two years, 1 to 4 lines each, products drawn with a power-law skew (the most popular
 * hundredth of the range sells about a fifth of the units), 100 products per category. Targets: refresh at most
 * 60 s; one customer's recommendations at most 10 ms at the 95th percentile.
 */
@Tag("benchmark")
class RecommendationBenchmark extends DatabaseTest {

    private static final int CUSTOMERS = Integer.getInteger("bench.customers", 250_000);
    private static final int ORDERS = Integer.getInteger("bench.orders", 1_000_000);
    private static final int PRODUCTS = 20_000;
    private static final int SAMPLES = Integer.getInteger("bench.samples", 3_000);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RecommendationRefresh refresh;

    @Autowired
    ProductRecommender recommender;

    private final List<String> results = new ArrayList<>();

    @Test
    void refreshAndRecommend() throws Exception {
        assertThat(TestDatabase.postgres()).as("a PostgreSQL benchmark").isTrue();
        long t = System.nanoTime();
        jdbc.execute("insert into customer (customer_id, time_zone, origin, version, created_at, updated_at) "
                + "select 'rb-' || g, 'UTC', 'DEMO', 1, now(), now() from generate_series(1, " + CUSTOMERS + ") g");
        Long firstKey =
                jdbc.queryForObject("select min(customer_key) from customer where customer_id like 'rb-%'", Long.class);
        jdbc.execute("insert into customer_order (order_id, customer_key, placed_at, amount, currency, fingerprint, "
                + "received_at) select 'rb-' || n, " + firstKey + " + abs(hashint8(n)) % " + CUSTOMERS + ", "
                + "now() - interval '1 hour' - ((abs(hashint8(-n)) % (730 * 24)) || ' hours')::interval, 10, 'USD', "
                + "lpad('', 64, '0'), now() from generate_series(1, " + ORDERS + ") n");
        jdbc.execute("insert into customer_order_item (order_id, line_no, sku, quantity, unit_price, category) "
                + "select 'rb-' || n, l, 'RB' || p, 1, 5 + p % 100, 'RC' || (p / 100) from generate_series(1, "
                + ORDERS + ") n cross join generate_series(1, 4) l cross join lateral (select floor(" + (PRODUCTS - 1)
                + " * power((abs(hashint8(n * 4 + l)) % 1000000) / 1000000.0, 2.5))::int p) x "
                + "where l <= 1 + abs(hashint8(n * 7)) % 4");
        jdbc.execute("analyze");
        long lines =
                jdbc.queryForObject("select count(*) from customer_order_item where order_id like 'rb-%'", Long.class);
        record(
                "setup: %d customers, %d orders, %d order lines, %d products generated in %.0f s; %d processors, "
                        + "PostgreSQL %s",
                CUSTOMERS,
                ORDERS,
                lines,
                jdbc.queryForObject("select count(distinct sku) from customer_order_item", Long.class),
                (System.nanoTime() - t) / 1e9,
                Runtime.getRuntime().availableProcessors(),
                jdbc.queryForObject("show server_version", String.class));

        for (String run : List.of("first", "second").subList(0, Integer.getInteger("bench.refreshes", 2))) {
            RecommendationRefresh.Outcome outcome = refresh.refresh();
            record(
                    "refresh (%s): %s in %.1f s; %d orders, %d order lines (distinct products per order), %d customers, "
                            + "%d products, %d pairs kept, %d categories timed",
                    run,
                    outcome.outcome(),
                    outcome.durationMillis() / 1e3,
                    outcome.orders(),
                    outcome.orderLines(),
                    outcome.customers(),
                    outcome.products(),
                    outcome.pairs(),
                    outcome.timedCategories());
        }

        Random random = new Random(42);
        long[] nanos = new long[SAMPLES];
        for (int warm = 0; warm < 500; warm++) {
            recommender.forCustomer("rb-" + (1 + random.nextInt(CUSTOMERS)), 5);
        }
        for (int i = 0; i < SAMPLES; i++) {
            String customer = "rb-" + (1 + random.nextInt(CUSTOMERS));
            long s = System.nanoTime();
            List<RecommendedProduct> products = recommender.forCustomer(customer, 5);
            nanos[i] = System.nanoTime() - s;
            assertThat(products).hasSize(5);
        }
        record("ProductRecommender.forCustomer(customer, 5), %d random customers: %s", SAMPLES, percentiles(nanos));

        long[] http = new long[Math.min(SAMPLES, 1_000)];
        for (int i = 0; i < http.length; i++) {
            String customer = "rb-" + (1 + random.nextInt(CUSTOMERS));
            long s = System.nanoTime();
            as(SERVICE)
                    .get("/api/customers/{id}/recommendations?count=5", customer)
                    .then()
                    .statusCode(200);
            http[i] = System.nanoTime() - s;
        }
        record(
                "GET /api/customers/{id}/recommendations?count=5 over HTTP (one at a time, Basic auth), %d customers: %s",
                http.length, percentiles(http));

        Files.createDirectories(Path.of("bench/work"));
        Files.write(Path.of("bench/work/recommendation-results.txt"), results);
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(
                "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms",
                sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.95)] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    private void record(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("BENCH " + line);
        results.add(line);
    }
}
