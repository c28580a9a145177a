package io.loyalflow.segment;

import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.testsupport.DatabaseTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Built-in segments refreshed from orders through the DMN tables: windows, tiers, diffs and events. */
class SegmentRefreshTest extends DatabaseTest {

    private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void isolate() {
        // every test starts from no memberships: refreshes see all customers of the shared database
        jdbc.update("delete from segment_event");
        jdbc.update("delete from segment_membership");
        jdbc.update("delete from customer_tier");
        jdbc.update("update segment_refresh set running_id = null, running_since = null");
        clock.set(NOW);
    }

    private String customer(String zone) {
        String id = "seg-" + UUID.randomUUID();
        as(SERVICE)
                .body(Map.of("timeZone", zone))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201);
        return id;
    }

    /** An order at local noon, {@code daysAgo} calendar days before today in the customer's zone. */
    private void order(String customerId, String zone, int daysAgo, String amount) {
        ZonedDateTime placed = ZonedDateTime.of(
                clock.instant().atZone(ZoneId.of(zone)).toLocalDate().minusDays(daysAgo),
                LocalTime.NOON,
                ZoneId.of(zone));
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + UUID.randomUUID(),
                        "customerId",
                        customerId,
                        "placedAt",
                        placed.toOffsetDateTime().toString(),
                        "amount",
                        new BigDecimal(amount),
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal(amount)))))
                .post("/api/orders")
                .then()
                .statusCode(201);
    }

    /** Every member, page by page (the database is shared with other tests' customers). */
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

    private Map<String, Object> refresh() {
        return as(SERVICE)
                .post("/api/segments/refresh")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
    }

    @Test
    void winBackAndDefectingWindowsHaveExactEdgesInTheCustomersOwnZone() {
        String[] zones = {"America/Los_Angeles", "Asia/Tokyo", "Europe/Paris"};
        Map<Integer, List<String>> byDays = new java.util.TreeMap<>();
        for (int days : new int[] {45, 46, 90, 91, 365, 366}) {
            for (String zone : zones) {
                String id = customer(zone);
                order(id, zone, days, "20.00");
                byDays.computeIfAbsent(days, d -> new ArrayList<>()).add(id);
            }
        }
        refresh();

        List<String> winBack = members("win-back");
        List<String> defecting = members("defecting-buyers");
        assertThat(winBack)
                .containsAll(byDays.get(46))
                .containsAll(byDays.get(90))
                .doesNotContainAnyElementsOf(byDays.get(45))
                .doesNotContainAnyElementsOf(byDays.get(91));
        assertThat(defecting)
                .containsAll(byDays.get(91))
                .containsAll(byDays.get(365))
                .doesNotContainAnyElementsOf(byDays.get(90))
                .doesNotContainAnyElementsOf(byDays.get(366));
    }

    @Test
    void refreshDiffsEmitEventsOnceAndLeavingAndReenteringAreRecorded() {
        String ann = customer("Europe/Paris");
        order(ann, "Europe/Paris", 50, "30.00");
        Map<String, Object> first = refresh();
        assertThat(members("win-back")).contains(ann);
        assertThat((Integer) ((Map<?, ?>) first.get("entered")).get("win-back")).isPositive();

        Map<String, Object> again = refresh();
        assertThat(((Map<?, ?>) again.get("entered")).values()).allMatch(n -> n.equals(0));
        assertThat(((Map<?, ?>) again.get("left")).values()).allMatch(n -> n.equals(0));
        assertThat(again.get("tierChanges")).isEqualTo(0);
        assertThat(events(ann, "SEGMENT_ENTERED")).containsExactlyInAnyOrder("win-back", "tier-bronze");

        clock.set(NOW.plus(java.time.Duration.ofDays(41))); // 91 days: out of win-back, into defecting buyers
        refresh();
        assertThat(members("win-back")).doesNotContain(ann);
        assertThat(members("defecting-buyers")).contains(ann);
        assertThat(events(ann, "SEGMENT_LEFT")).containsExactly("win-back");

        order(ann, "Europe/Paris", 0, "10.00"); // today (the clock is 41 days on): a new order
        clock.set(NOW.plus(java.time.Duration.ofDays(41 + 46)));
        refresh();
        assertThat(members("win-back")).contains(ann);
        assertThat(jdbc.queryForObject(
                        "select count(*) from segment_membership m join customer c on "
                                + "c.customer_key = m.customer_key where c.customer_id = ? and m.segment_id = 'win-back'",
                        Integer.class,
                        ann))
                .isEqualTo(2);
    }

    @Test
    void tiersFollowTheValueTierTableAndTierChangesAreEmittedWithTheirDirection() {
        String riser = customer("America/New_York");
        order(riser, "America/New_York", 10, "100.00");
        for (int i = 0; i < 3; i++) {
            order(riser, "America/New_York", 5 + i, "150.00"); // 250 over 2 orders: Silver; 550 over 4: Gold
        }
        refresh();
        assertThat(members("tier-gold")).contains(riser);
        assertThat(members("tier-bronze")).doesNotContain(riser);
        assertThat(members("tier-silver")).doesNotContain(riser);
        assertThat(tierChanges(riser))
                .containsExactly("null>Bronze:NEW", "Bronze>Silver:UPGRADE", "Silver>Gold:UPGRADE");

        clock.set(NOW.plus(java.time.Duration.ofDays(400))); // the orders age out of the twelve months
        refresh();
        assertThat(members("tier-bronze")).contains(riser);
        assertThat(members("tier-gold")).doesNotContain(riser);
        assertThat(tierChanges(riser)).last().isEqualTo("Gold>Bronze:DOWNGRADE");
    }

    private List<String> tierChanges(String customerId) {
        return as(ANALYST)
                .get("/api/segment-events?kind=TIER_CHANGED&customerId={id}", customerId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("", Map.class)
                .stream()
                .map(e -> e.get("fromTier") + ">" + e.get("toTier") + ":" + e.get("tierChange"))
                .toList();
    }

    @Test
    void anOrderReTiersItsCustomerAtOnceAndTheNextRefreshAgrees() {
        String buyer = customer("Asia/Tokyo");
        order(buyer, "Asia/Tokyo", 20, "40.00");
        assertThat(members("tier-bronze")).contains(buyer); // tiered by the order itself, no refresh yet

        String orderId = "o-" + UUID.randomUUID();
        Map<String, Object> upgrade = Map.of(
                "orderId",
                orderId,
                "customerId",
                buyer,
                "placedAt",
                NOW.minus(java.time.Duration.ofDays(1)).toString(),
                "amount",
                new BigDecimal("120.00"),
                "currency",
                "USD",
                "items",
                List.of(Map.of("sku", "SKU-2", "quantity", 1, "unitPrice", new BigDecimal("120.00"))));
        as(SERVICE).body(upgrade).post("/api/orders").then().statusCode(201); // 160 in 12 months: Silver
        assertThat(members("tier-silver")).contains(buyer);
        assertThat(members("tier-bronze")).doesNotContain(buyer);
        as(ANALYST)
                .get("/api/segment-events?kind=TIER_CHANGED&customerId={id}", buyer)
                .then()
                .statusCode(200)
                .body("[1].fromTier", equalTo("Bronze"))
                .body("[1].toTier", equalTo("Silver"))
                .body("[1].tierChange", equalTo("UPGRADE"))
                .body("[1].cause", equalTo("order:" + orderId));

        as(SERVICE).body(upgrade).post("/api/orders").then().statusCode(200); // the same order again changes nothing
        Map<String, Object> summary = refresh();
        assertThat(events(buyer, "SEGMENT_ENTERED"))
                .contains("tier-bronze", "tier-silver")
                .doesNotHaveDuplicates();
        assertThat(jdbc.queryForObject(
                        "select count(*) from segment_event e join customer c on c.customer_key = "
                                + "e.customer_key where c.customer_id = ? and e.kind = 'TIER_CHANGED'",
                        Integer.class,
                        buyer))
                .isEqualTo(2);
        assertThat(summary.get("customers")).isNotNull();
    }

    @Test
    void bestCustomersAreTheTopQuarterBySpendAmongRecentBuyers() {
        // years after every other test's orders: only this test's customers are recent buyers
        clock.set(Instant.parse("2031-01-10T10:00:00Z"));
        List<String> recent = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String id = customer("UTC");
            order(id, "UTC", 5, i * 100 + ".00");
            recent.add(id);
        }
        String bigButLapsed = customer("UTC");
        order(bigButLapsed, "UTC", 200, "5000.00");
        refresh();

        // 8 recent buyers: percent ranks 0, 1/7, ..., 1; at least 0.75 are the two biggest (6/7 and 7/7)
        assertThat(members("best-customers")).containsExactlyInAnyOrder(recent.get(6), recent.get(7));

        // a lapsed customer has no spend percentile (not 0): "below the median spender" leaves them out
        String segment = "below-median-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Below the median spender",
                        "conditions",
                        Map.of("field", "spendPercentile", "op", "lt", "value", 0.5)))
                .post("/api/segments")
                .then()
                .statusCode(201);
        as(SERVICE).post("/api/segments/{id}/refresh", segment).then().statusCode(200);
        assertThat(members(segment)).contains(recent.get(0), recent.get(1)).doesNotContain(bigButLapsed, recent.get(7));
    }

    @Test
    void concurrentRefreshRequestsRunOneAtATime() throws Exception {
        for (int i = 0; i < 20; i++) {
            order(customer("UTC"), "UTC", 3, "10.00");
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(() ->
                    as(SERVICE).post("/api/segments/refresh").then().extract().statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(calls)) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).contains(200).allMatch(s -> s == 200 || s == 409);
        // however they interleaved, each change was recorded once
        assertThat(jdbc.queryForObject(
                        "select count(*) from (select customer_key, segment_id from segment_membership "
                                + "where left_at is null group by customer_key, segment_id having count(*) > 1) d",
                        Integer.class))
                .isZero();
    }

    @Test
    void unknownSegmentsAndBadParametersAreRefused() {
        as(ANALYST).get("/api/segments/{id}/members", "no-such").then().statusCode(404);
        as(ANALYST)
                .get("/api/segments/win-back/members?limit=0")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("limit"));
        as(ANALYST)
                .get("/api/segment-events?kind=ENTERED")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("kind"));
        as(ANALYST)
                .get("/api/segments")
                .then()
                .statusCode(200)
                .body("find { it.id == 'win-back' }.kind", equalTo("BUILT_IN"));
    }

    private List<String> events(String customerId, String kind) {
        return as(ANALYST)
                .get("/api/segment-events?kind={kind}&customerId={id}", kind, customerId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("segmentId", String.class);
    }
}
