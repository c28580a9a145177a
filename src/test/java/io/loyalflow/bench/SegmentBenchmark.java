package io.loyalflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.segment.DynamicSegments;
import io.loyalflow.segment.SegmentDecisions;
import io.loyalflow.segment.SegmentRefresh;
import io.loyalflow.testsupport.DatabaseTest;
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
 * Segment refresh, estimate and re-tiering over 1,000,000 generated customers on PostgreSQL:
 * {@code ./mvnw -Pbench-messaging test -Dtest=SegmentBenchmark} (figures to bench/work/segment-results.txt
 * and docs/performance.md).
 */
@Tag("benchmark")
class SegmentBenchmark extends DatabaseTest {

  private static final int CUSTOMERS = Integer.getInteger("bench.customers", 1_000_000);

  @Autowired
  JdbcTemplate jdbc;
  @Autowired
  SegmentRefresh refresh;
  @Autowired
  DynamicSegments dynamic;
  @Autowired
  SegmentDecisions decisions;

  private final List<String> results = new ArrayList<>();

  @Test
  void refreshEstimateAndRetiering() throws Exception {
    long t = System.nanoTime();
    jdbc.execute("insert into customer (customer_id, time_zone, origin, version, created_at, updated_at) "
        + "select 'bench-' || g, (array['America/New_York','Europe/Paris','Asia/Tokyo','UTC'])[1 + g % 4], 'DEMO', 1, "
        + "now(), now() from generate_series(1, " + CUSTOMERS + ") g");
    // 0 to 5 orders per customer over the last two years, amounts 5 to 400
    jdbc.execute("insert into customer_order (order_id, customer_key, placed_at, amount, currency, fingerprint, received_at) "
        + "select 'bench-' || c.customer_key || '-' || n, c.customer_key, "
        + "now() - (((c.customer_key * 7919 + n * 104729) % 730) || ' days')::interval, "
        + "5 + ((c.customer_key * 31 + n * 17) % 396), 'USD', lpad('', 64, '0'), now() "
        + "from customer c cross join generate_series(1, 5) n "
        + "where c.customer_id like 'bench-%' and n <= (c.customer_key % 6)");
    jdbc.execute("analyze");
    long orders = jdbc.queryForObject("select count(*) from customer_order", Long.class);
    record("setup: %d customers, %d orders generated in %.0f s", CUSTOMERS, orders, (System.nanoTime() - t) / 1e9);

    for (String run : List.of("first (everything enters)", "second (no change)")) {
      long evaluationsBefore = decisions.engineEvaluations();
      long started = System.nanoTime();
      SegmentRefresh.Summary summary = refresh.refreshBuiltIn();
      double seconds = (System.nanoTime() - started) / 1e9;
      long engine = decisions.engineEvaluations() - evaluationsBefore;
      record("full refresh, %s: %d customers in %.1f s; %d decisions taken = %.0f/s (%d of them evaluated by the DMN "
              + "engine, the rest remembered); %d tier changes; entered %s", run, summary.customers(), seconds,
          summary.dmnEvaluations(), summary.dmnEvaluations() / seconds, engine, summary.tierChanges(),
          summary.entered());
    }

    var tree = new ObjectMapper().readTree("{\"and\": [{\"field\": \"lastOrderDate\", \"op\": \"between\", "
        + "\"value\": [{\"daysAgo\": 90}, {\"daysAgo\": 45}]}, {\"field\": \"spend12Months\", \"op\": \"gte\", "
        + "\"value\": 100}, {\"not\": {\"field\": \"tier\", \"op\": \"eq\", \"value\": \"Bronze\"}}]}");
    long[] estimates = new long[5];
    DynamicSegments.Estimate estimate = null;
    for (int i = 0; i < estimates.length; i++) {
      long started = System.nanoTime();
      estimate = dynamic.estimate(tree);
      estimates[i] = (System.nanoTime() - started) / 1_000_000;
    }
    record("estimate over %d customers (win-back window, 12-month spend >= 100, not Bronze): %d members, "
        + "%d reachable by e-mail; %s ms over 5 runs", CUSTOMERS, estimate.size(), estimate.reachableByEmail(),
        Arrays.toString(estimates));

    Random random = new Random(42);
    long[] retier = new long[500];
    for (int i = 0; i < retier.length; i++) {
      String customerId = "bench-" + (1 + random.nextInt(CUSTOMERS));
      long started = System.nanoTime();
      retier(customerId);
      retier[i] = System.nanoTime() - started;
    }
    Arrays.sort(retier);
    record("re-tiering one customer (features, value-tier, write): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms over %d",
        retier[250] / 1e6, retier[475] / 1e6, retier[495] / 1e6, retier.length);
    assertThat(estimate.size()).isPositive();
    Files.createDirectories(Path.of("bench/work"));
    Files.write(Path.of("bench/work/segment-results.txt"), results);
  }

  private void retier(String customerId) {
    try {
      var method = Class.forName("io.loyalflow.segment.TierRetiering").getDeclaredMethod("retier", String.class,
          String.class);
      method.setAccessible(true);
      Object bean = applicationContext.getBean(Class.forName("io.loyalflow.segment.TierRetiering"));
      method.invoke(bean, customerId, "benchmark");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @Autowired
  org.springframework.context.ApplicationContext applicationContext;

  private void record(String format, Object... args) {
    String line = String.format(format, args);
    System.out.println("BENCH " + line);
    results.add(line);
  }
}
