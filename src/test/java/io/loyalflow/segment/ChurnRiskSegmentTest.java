package io.loyalflow.segment;

import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.clv.CustomerValueFits;
import io.loyalflow.customer.ValuePrediction;
import io.loyalflow.order.OrderImporter;
import io.loyalflow.testsupport.DatabaseTest;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The built-in segment churn-risk through the real segment refresh: the interval rule (the last order more than
 * twice the customer's own median interval between purchase days ago), the P(alive) rule with predictions of a real
 * customer-value fit, customers with one purchase day, and the events of entering and leaving.
 */
class ChurnRiskSegmentTest extends DatabaseTest {

    private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
    private static final String ZONE = "Europe/Paris";
    private static final String TABLE = "dmn/churn-risk.dmn";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CustomerValueFits valueModel;

    @Autowired
    OrderImporter importer;

    @Autowired
    RepositoryService repository;

    private boolean tableChanged;

    @BeforeEach
    void isolate() {
        jdbc.update("delete from segment_event");
        jdbc.update("delete from segment_membership");
        jdbc.update("delete from customer_tier");
        jdbc.update("update segment_refresh set running_id = null, running_since = null");
        jdbc.update("update clv_fit_claim set running_id = null, running_since = null");
        clock.set(NOW);
    }

    @AfterEach
    void shippedTableAgain() throws Exception {
        if (tableChanged) {
            deploy(Files.readString(Path.of(TABLE)));
        }
    }

    @Test
    void overdueByTheirOwnRhythmEntersOneTimeBuyersDoNotAndAnOrderLeaves() {
        String overdue = customer();
        order(overdue, 91);
        order(overdue, 61); // median 30 days, last order 61 days ago: more than twice
        String onTime = customer();
        order(onTime, 90);
        order(onTime, 60); // exactly twice: not yet
        String sameDay = customer();
        order(sameDay, 200);
        order(sameDay, 200); // two orders on one day: one purchase day
        String oneOrder = customer();
        order(oneOrder, 400);
        String uneven = customer();
        for (int daysAgo : new int[] {100, 90, 88, 86, 20}) {
            order(uneven, daysAgo); // gaps 10, 2, 2, 66: median 6, last order 20 days ago
        }

        Map<String, Object> summary = refresh();
        assertThat(((Map<?, ?>) summary.get("decisionVersions")).get(SegmentDecisions.CHURN_RISK))
                .isNotNull();
        assertThat(members("churn-risk")).contains(overdue, uneven).doesNotContain(onTime, sameDay, oneOrder);
        assertThat(events(overdue, "SEGMENT_ENTERED")).containsExactly("churn-risk");

        clock.set(NOW.plus(java.time.Duration.ofDays(1))); // onTime's last order is now 61 days ago
        refresh();
        assertThat(members("churn-risk")).contains(overdue, onTime);

        order(overdue, 0); // back: gaps 30 and 61, median 45.5, last order today
        refresh();
        assertThat(members("churn-risk")).contains(onTime).doesNotContain(overdue);
        assertThat(events(overdue, "SEGMENT_LEFT")).containsExactly("churn-risk");
    }

    @Test
    void theProbabilityAliveOfARealFitDecidesWhenAnAnalystRaisesTheIntervalFactor() throws Exception {
        // a fit needs hundreds of customers: the CDNOW demo orders (loading again changes nothing)
        new io.loyalflow.demo.CdnowDemoAccess(importer).load();
        String lapsedRegular = customer();
        for (int week = 0; week < 15; week++) {
            order(lapsedRegular, 200 + 7 * (14 - week)); // weekly for 15 weeks, then 200 days of silence
        }
        String recentPair = customer();
        order(recentPair, 91);
        order(recentPair, 61);
        String oneOrder = customer();
        order(oneOrder, 400);

        CustomerValueFits.Fit fit = valueModel.fit(LocalDate.ofInstant(NOW, ZoneId.of(ZONE)));
        assertThat(fit.status()).isEqualTo(CustomerValueFits.Status.FITTED);
        double lapsedAlive = probabilityAlive(lapsedRegular);
        double pairAlive = probabilityAlive(recentPair);
        assertThat(lapsedAlive)
                .as("P(alive) of a weekly buyer silent for 200 days")
                .isLessThan(0.3);
        assertThat(pairAlive)
                .as("P(alive) of a customer with one repeat purchase")
                .isGreaterThanOrEqualTo(0.3);
        assertThat(probabilityAlive(oneOrder))
                .as("BG/NBD: no repeat purchase, no chance yet to drop out")
                .isEqualTo(1.0);

        refresh();
        assertThat(members("churn-risk")).contains(lapsedRegular, recentPair).doesNotContain(oneOrder);

        // an analyst changes the factor from 2 to 100 in the table: only P(alive) makes a churn risk now
        String shipped = Files.readString(Path.of(TABLE));
        String patient = shipped.replace("&gt; 2 * medianInterpurchaseDays", "&gt; 100 * medianInterpurchaseDays");
        assertThat(patient).isNotEqualTo(shipped);
        deploy(patient);
        tableChanged = true;

        refresh();
        assertThat(members("churn-risk")).contains(lapsedRegular).doesNotContain(recentPair, oneOrder);
        assertThat(events(recentPair, "SEGMENT_LEFT")).containsExactly("churn-risk");
    }

    private double probabilityAlive(String customerId) {
        long key = valueModel.customerKey(customerId).orElseThrow();
        return valueModel.of(key).map(ValuePrediction::probabilityAlive).orElseThrow();
    }

    private void deploy(String dmn) {
        repository
                .createDeployment()
                .name("churn-risk")
                .addString("churn-risk.dmn", dmn)
                .deploy();
    }

    private String customer() {
        String id = "churn-" + UUID.randomUUID();
        as(SERVICE)
                .body(Map.of("timeZone", ZONE))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201);
        return id;
    }

    /** An order at local noon, {@code daysAgo} calendar days before today in the customer's zone. */
    private void order(String customerId, int daysAgo) {
        ZonedDateTime placed = ZonedDateTime.of(
                clock.instant().atZone(ZoneId.of(ZONE)).toLocalDate().minusDays(daysAgo),
                LocalTime.NOON,
                ZoneId.of(ZONE));
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + UUID.randomUUID(),
                        "customerId",
                        customerId,
                        "placedAt",
                        placed.toOffsetDateTime().toString(),
                        "amount",
                        new BigDecimal("20.00"),
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal("20.00")))))
                .post("/api/orders")
                .then()
                .statusCode(201);
    }

    private Map<String, Object> refresh() {
        return as(SERVICE)
                .post("/api/segments/refresh")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
    }

    private List<String> members(String segment) {
        List<String> all = new ArrayList<>();
        String after = "";
        while (after != null) {
            var page = as(ANALYST)
                    .get("/api/segments/{id}/members?limit=1000&after={after}", segment, after)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            all.addAll(page.getList("items.customerId", String.class));
            after = page.getString("nextAfter");
        }
        return all;
    }

    /** The customer's churn-risk events of that kind. */
    private List<String> events(String customerId, String kind) {
        return as(ANALYST)
                .get("/api/segment-events?kind={kind}&customerId={id}", kind, customerId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("segmentId", String.class)
                .stream()
                .filter("churn-risk"::equals)
                .toList();
    }
}
