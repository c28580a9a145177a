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
        jdbc.execute("insert into customer (customer_id, email, time_zone, origin, version, created_at, updated_at) "
                + "select 'bench-' || g, 'bench-' || g || '@example.com', "
                + "(array['America/New_York','Europe/Paris','Asia/Tokyo','UTC'])[1 + g % 4], 'DEMO', 1, "
                + "now(), now() from generate_series(1, " + CUSTOMERS + ") g");
        // every other customer consents to e-mail; one in a hundred of those is suppressed (a bounce)
        jdbc.execute("insert into customer_consent (customer_key, channel, status, source, stated_at, recorded_at) "
                + "select customer_key, 'email', 'OPTED_IN', 'bench', now(), now() from customer "
                + "where customer_id like 'bench-%' and customer_key % 2 = 0");
        jdbc.execute("insert into suppression (channel, address, reason, source, created_at) "
                + "select 'email', email, 'HARD_BOUNCE', 'bench', now() from customer "
                + "where customer_id like 'bench-%' and customer_key % 200 = 0");
        // 0 to 5 orders per customer over the last two years, amounts 5.00 to 400.00 in cents, as real
        // baskets are: few customers share a 12-month spend, so the tables' answers cannot be remembered
        jdbc.execute(
                "insert into customer_order (order_id, customer_key, placed_at, amount, currency, fingerprint, received_at) "
                        + "select 'bench-' || c.customer_key || '-' || n, c.customer_key, "
                        + "now() - ((abs(hashint8(c.customer_key * 8 + n)::bigint) % 730) || ' days')::interval, "
                        + "5 + (abs(hashint8(-(c.customer_key * 8 + n))::bigint) % 39501) / 100.0, 'USD', lpad('', 64, '0'), now() "
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
            record(
                    "full refresh, %s: %d customers in %.1f s (%s ms); %d decisions taken = %.0f/s (%d of them evaluated by "
                            + "the DMN engine, the rest remembered); %d tier changes; entered %s",
                    run,
                    summary.customers(),
                    seconds,
                    summary.phaseMillis(),
                    summary.dmnEvaluations(),
                    summary.dmnEvaluations() / seconds,
                    engine,
                    summary.tierChanges(),
                    summary.entered());
        }

        var tree = new ObjectMapper()
                .readTree("{\"and\": [{\"field\": \"lastOrderDate\", \"op\": \"between\", "
                        + "\"value\": [{\"daysAgo\": 90}, {\"daysAgo\": 45}]}, {\"field\": \"spend12Months\", \"op\": \"gte\", "
                        + "\"value\": 100}, {\"not\": {\"field\": \"tier\", \"op\": \"eq\", \"value\": \"Bronze\"}}]}");
        long[] estimates = new long[5];
        DynamicSegments.Estimate estimate = null;
        for (int i = 0; i < estimates.length; i++) {
            long started = System.nanoTime();
            estimate = dynamic.estimate(tree, null, null, true);
            estimates[i] = (System.nanoTime() - started) / 1_000_000;
        }
        record(
                "estimate over %d customers (win-back window, 12-month spend >= 100, not Bronze): %d members, "
                        + "%d reachable by e-mail; %s ms over 5 runs",
                CUSTOMERS, estimate.size(), estimate.reachableByEmail(), Arrays.toString(estimates));

        repositoryService
                .createDeployment()
                .name("bench-big-spender")
                .addString("bench-big-spender.dmn", BIG_SPENDER_DMN)
                .deploy();
        long[] decided = new long[3];
        for (int i = 0; i < decided.length; i++) {
            long started = System.nanoTime();
            estimate = dynamic.estimate(null, "bench-big-spender", null, true);
            decided[i] = (System.nanoTime() - started) / 1_000_000;
        }
        record(
                "estimate of a segment a DMN table defines (12-month spend >= 300 and e-mail consent), over %d customers: "
                        + "%d members, %d reachable by e-mail; %s ms over 3 runs",
                CUSTOMERS, estimate.size(), estimate.reachableByEmail(), Arrays.toString(decided));

        Random random = new Random(42);
        long[] retier = new long[500];
        for (int i = 0; i < retier.length; i++) {
            String customerId = "bench-" + (1 + random.nextInt(CUSTOMERS));
            long customerKey = applicationContext
                    .getBean(org.springframework.jdbc.core.JdbcTemplate.class)
                    .queryForObject("select customer_key from customer where customer_id = ?", Long.class, customerId);
            long started = System.nanoTime();
            retier(customerKey);
            retier[i] = System.nanoTime() - started;
        }
        Arrays.sort(retier);
        record(
                "re-tiering one customer (features, value-tier, write): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms over %d",
                retier[250] / 1e6, retier[475] / 1e6, retier[495] / 1e6, retier.length);
        assertThat(estimate.size()).isPositive();
        Files.createDirectories(Path.of("bench/work"));
        Files.write(Path.of("bench/work/segment-results.txt"), results);
    }

    private void retier(long customerKey) {
        try {
            var method = Class.forName("io.loyalflow.segment.TierRetiering")
                    .getDeclaredMethod("retier", long.class, String.class);
            method.setAccessible(true);
            Object bean = applicationContext.getBean(Class.forName("io.loyalflow.segment.TierRetiering"));
            method.invoke(
                    org.springframework.aop.framework.AopProxyUtils.getSingletonTarget(bean) == null
                            ? bean
                            : org.springframework.aop.framework.AopProxyUtils.getSingletonTarget(bean),
                    customerKey,
                    "benchmark");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired
    org.springframework.context.ApplicationContext applicationContext;

    @Autowired
    org.camunda.bpm.engine.RepositoryService repositoryService;

    private static final String BIG_SPENDER_DMN = """
      <?xml version="1.0" encoding="UTF-8"?>
      <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn"
          id="Definitions_BenchBigSpender" name="Big spender" namespace="http://loyalflow.io/bench">
        <decision id="bench-big-spender" name="Big spender (benchmark)" camunda:historyTimeToLive="P1D">
          <decisionTable id="DecisionTable_BenchBigSpender" hitPolicy="FIRST">
            <input id="InputClause_Spend" label="Spend in 12 months">
              <inputExpression id="InputExpression_Spend" typeRef="double"><text>spend12Months</text></inputExpression>
            </input>
            <input id="InputClause_Consent" label="E-mail consent">
              <inputExpression id="InputExpression_Consent" typeRef="boolean"><text>emailConsent</text></inputExpression>
            </input>
            <output id="OutputClause_Member" name="member" typeRef="boolean"/>
            <rule id="Rule_Big"><inputEntry id="UnaryTests_Big"><text>&gt;= 300</text></inputEntry>
              <inputEntry id="UnaryTests_Consent"><text>true</text></inputEntry>
              <outputEntry id="LiteralExpression_Big"><text>true</text></outputEntry></rule>
            <rule id="Rule_Other"><inputEntry id="UnaryTests_Any"><text>-</text></inputEntry>
              <inputEntry id="UnaryTests_AnyConsent"><text>-</text></inputEntry>
              <outputEntry id="LiteralExpression_Other"><text>false</text></outputEntry></rule>
          </decisionTable>
        </decision>
      </definitions>
      """;

    private void record(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("BENCH " + line);
        results.add(line);
    }
}
