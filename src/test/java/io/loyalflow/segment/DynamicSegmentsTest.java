package io.loyalflow.segment;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.loyalflow.testsupport.DatabaseTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Segments defined by condition trees: creation, validation, members, estimate, refresh. */
class DynamicSegmentsTest extends DatabaseTest {

    private static final Instant NOW = Instant.parse("2026-07-01T09:00:00Z");

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void setUp() {
        jdbc.update("update segment_refresh set running_id = null, running_since = null");
        clock.set(NOW);
    }

    private String customer(String email, boolean emailConsent, int daysAgo) {
        String id = "dyn-" + UUID.randomUUID();
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("email", email);
        profile.put("timeZone", "Europe/Berlin");
        profile.put(
                "consents",
                Map.of(
                        "email",
                        Map.of(
                                "status",
                                emailConsent ? "OPTED_IN" : "OPTED_OUT",
                                "source",
                                "checkout",
                                "statedAt",
                                "2026-01-01T00:00:00Z")));
        as(SERVICE).body(profile).put("/api/customers/{id}", id).then().statusCode(201);
        ZonedDateTime placed = ZonedDateTime.of(
                NOW.atZone(ZoneId.of("Europe/Berlin")).toLocalDate().minusDays(daysAgo),
                LocalTime.NOON,
                ZoneId.of("Europe/Berlin"));
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + UUID.randomUUID(),
                        "customerId",
                        id,
                        "placedAt",
                        placed.toOffsetDateTime().toString(),
                        "amount",
                        new BigDecimal("25.00"),
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal("25.00")))))
                .post("/api/orders")
                .then()
                .statusCode(201);
        return id;
    }

    private Map<String, Object> winBackAmong(List<String> ids) {
        return Map.of(
                "and",
                List.of(
                        Map.of(
                                "field",
                                "lastOrderDate",
                                "op",
                                "between",
                                "value",
                                List.of(Map.of("daysAgo", 90), Map.of("daysAgo", 45))),
                        Map.of("field", "customerId", "op", "in", "value", ids)));
    }

    private List<String> members(String segment) {
        return as(ANALYST)
                .get("/api/segments/{id}/members?limit=1000", segment)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.customerId", String.class);
    }

    @Test
    void aDefinedSegmentGetsItsMembersAtRefreshAndTheEstimateCountsTheSame() {
        String reachable = customer("reach@example.com", true, 60);
        String unsubscribed = customer("unsub@example.com", false, 70);
        String suppressed = customer("bounced@example.com", true, 80);
        String tooRecent = customer("recent@example.com", true, 10);
        jdbc.update("insert into suppression (channel, address, reason, source, created_at) values "
                + "('email', 'bounced@example.com', 'HARD_BOUNCE', 'test', current_timestamp)");
        List<String> ours = List.of(reachable, unsubscribed, suppressed, tooRecent);
        String segment = "winback-" + UUID.randomUUID().toString().substring(0, 8);

        as(ADMIN)
                .body(Map.of("id", segment, "name", "Lapsing, 45-90 days", "conditions", winBackAmong(ours)))
                .post("/api/segments")
                .then()
                .statusCode(201)
                .body("id", equalTo(segment));
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);

        assertThat(members(segment)).containsExactlyInAnyOrder(reachable, unsubscribed, suppressed);
        // the same count as the tree's (which compares customer ids: the service's, not an analyst's estimate)
        as(SERVICE)
                .body(Map.of("conditions", winBackAmong(ours)))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200)
                .body("size", equalTo(3))
                .body("reachableByEmail", equalTo(1))
                .body("reachableBySms", equalTo(0));
        as(ANALYST)
                .body(Map.of("segment", segment))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200)
                .body("size", equalTo(3))
                .body("reachableByEmail", equalTo(1))
                .body("reachableBySms", equalTo(0));
        as(ANALYST).get("/api/segments").then().body("find { it.id == '" + segment + "' }.members", equalTo(3));

        // one segment refreshed on its own, over the features of the last refresh: the profile changed, not the orders
        as(SERVICE)
                .body(Map.of("email", "other@example.com", "timeZone", "Europe/Berlin"))
                .put("/api/customers/{id}", unsubscribed)
                .then()
                .statusCode(200);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        segment + "-x",
                        "name",
                        "With example.com e-mail",
                        "conditions",
                        Map.of(
                                "and",
                                List.of(
                                        Map.of("field", "email", "op", "contains", "value", "reach@"),
                                        Map.of("field", "customerId", "op", "in", "value", ours)))))
                .post("/api/segments")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/segments/{id}/refresh", segment + "-x")
                .then()
                .statusCode(200)
                .body("entered", equalTo(1))
                .body("left", equalTo(0));
        assertThat(members(segment + "-x")).containsExactly(reachable);
    }

    @Autowired
    org.camunda.bpm.engine.RepositoryService repositoryService;

    private static final String BIG_SPENDER_DMN = """
      <?xml version="1.0" encoding="UTF-8"?>
      <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn"
          id="Definitions_BigSpender" name="Big spender" namespace="http://loyalflow.io/test">
        <decision id="big-spender-test" name="Big spender (test)" camunda:historyTimeToLive="P1D">
          <decisionTable id="DecisionTable_BigSpender" hitPolicy="FIRST">
            <input id="InputClause_Spend" label="Spend in 12 months">
              <inputExpression id="InputExpression_Spend" typeRef="double"><text>spend12Months</text></inputExpression>
            </input>
            <input id="InputClause_Consent" label="E-mail consent">
              <inputExpression id="InputExpression_Consent" typeRef="boolean"><text>emailConsent</text></inputExpression>
            </input>
            <output id="OutputClause_Member" name="member" typeRef="boolean"/>
            <rule id="Rule_Big"><description>spent 40 or more and may be e-mailed</description>
              <inputEntry id="UnaryTests_Big"><text>&gt;= 40</text></inputEntry>
              <inputEntry id="UnaryTests_Consent"><text>true</text></inputEntry>
              <outputEntry id="LiteralExpression_Big"><text>true</text></outputEntry></rule>
            <rule id="Rule_Other"><description>everyone else</description>
              <inputEntry id="UnaryTests_Any"><text>-</text></inputEntry>
              <inputEntry id="UnaryTests_AnyConsent"><text>-</text></inputEntry>
              <outputEntry id="LiteralExpression_Other"><text>false</text></outputEntry></rule>
          </decisionTable>
        </decision>
      </definitions>
      """;

    @Test
    void aSegmentDefinedByADmnTableTakesItsMembersFromTheTablesVerdict() {
        repositoryService
                .createDeployment()
                .name("big-spender-test")
                .enableDuplicateFiltering(true)
                .addString("big-spender-test.dmn", BIG_SPENDER_DMN)
                .deploy();
        String big = customer("big@example.com", true, 20);
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + UUID.randomUUID(),
                        "customerId",
                        big,
                        "placedAt",
                        NOW.minus(java.time.Duration.ofDays(3)).toString(),
                        "amount",
                        new BigDecimal("30.00"),
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal("30.00")))))
                .post("/api/orders")
                .then()
                .statusCode(201);
        String bigButNoConsent = customer("quiet@example.com", false, 20);
        String small = customer("small@example.com", true, 20);
        String segment = "big-" + UUID.randomUUID().toString().substring(0, 8);

        as(ANALYST)
                .body(Map.of("id", segment, "name", "Big spenders by DMN", "decision", "big-spender-test"))
                .post("/api/segments")
                .then()
                .statusCode(201)
                .body("decision", equalTo("big-spender-test"));
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);

        List<String> members = members(segment);
        assertThat(members).contains(big).doesNotContain(bigButNoConsent, small);
        // the estimate of the same decision, over the same features, counts exactly the refresh's members
        var estimate = as(ANALYST)
                .body(Map.of("decision", "big-spender-test"))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(estimate.getLong("size")).isEqualTo(members.size());
        assertThat(estimate.getLong("reachableByEmail")).isBetween(1L, (long) members.size());
        as(ANALYST)
                .body(Map.of("decision", "no-such-decision"))
                .post("/api/segments/estimate")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("decision"));
        as(ANALYST)
                .body(Map.of("decision", "big-spender-test", "conditions", winBackAmong(List.of("x"))))
                .post("/api/segments/estimate")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("conditions"));
        as(ANALYST).get("/api/segments").then().body("find { it.id == '" + segment + "' }.kind", equalTo("DECISION"));
        as(ANALYST)
                .body(Map.of("id", segment + "-y", "name", "No such table", "decision", "no-such-decision"))
                .post("/api/segments")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("decision"));
        as(ANALYST)
                .body(Map.of(
                        "id",
                        segment + "-z",
                        "name",
                        "Both",
                        "decision",
                        "big-spender-test",
                        "conditions",
                        winBackAmong(List.of("x"))))
                .post("/api/segments")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("conditions"));
    }

    @Test
    void invalidDefinitionsAreRefusedWithThePathToTheFaultAndNothingIsStored() {
        int before = jdbc.queryForObject("select count(*) from segment_definition", Integer.class);
        Map<String, Object> bad = Map.of(
                "and",
                List.of(
                        Map.of("field", "daysSinceLastOrder", "op", "gt", "value", 3),
                        Map.of("field", "tier", "op", "lt", "value", "Gold"),
                        Map.of("field", "nonsense", "op", "eq", "value", 1)));
        as(ANALYST)
                .body(Map.of("id", "bad-one", "name", "Bad", "conditions", bad))
                .post("/api/segments")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("conditions.and[1].op"))
                .body("errors.field", hasItem("conditions.and[2].field"));
        as(ANALYST)
                .body(Map.of("id", "win-back", "name", "Clash", "conditions", winBackAmong(List.of("x"))))
                .post("/api/segments")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("id"));
        as(ANALYST)
                .body(Map.of("conditions", bad))
                .post("/api/segments/estimate")
                .then()
                .statusCode(422);
        assertThat(jdbc.queryForObject("select count(*) from segment_definition", Integer.class))
                .isEqualTo(before);

        String id = "dup-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of("id", id, "name", "Once", "conditions", winBackAmong(List.of("x"))))
                .post("/api/segments")
                .then()
                .statusCode(201);
        as(ADMIN)
                .body(Map.of("id", id, "name", "Twice", "conditions", winBackAmong(List.of("x"))))
                .post("/api/segments")
                .then()
                .statusCode(409);
        as(ANALYST).get("/api/segments/{id}/members", "never-defined").then().statusCode(404);
    }
}
