package io.loyalflow.segment;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.testsupport.IntegrationTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Analysts see counts, not people: a condition on personal data (an address, a phone number, a
 * customer id) other than its presence is refused before anything is counted, so estimates and segment
 * sizes cannot spell out a customer's address a question at a time. Services and administrators, who
 * may read personal data anyway, keep every condition.
 */
class PersonalDataConditionsTest extends IntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    private String customer;
    private String email;

    @BeforeEach
    void aCustomerWithAnAddress() {
        customer = "c-" + UUID.randomUUID();
        email = "oracle-" + UUID.randomUUID() + "@example.com";
        as(SERVICE)
                .body(Map.of("email", email, "phone", "+12125550150", "firstName", "Ann", "lastName", "Lee"))
                .put("/api/customers/{id}", customer)
                .then()
                .statusCode(201);
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
    }

    @Test
    void anAnalystsEstimateOnAPersonalFieldIsRefusedSoTheCountCannotSpellOutAnAddress() {
        Map<String, Object> guess = Map.of("field", "email", "op", "contains", "value", email.substring(0, 20));

        // what an attacker would read one letter at a time: a count of 1
        as(SERVICE)
                .body(Map.of("conditions", guess))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200)
                .body("size", equalTo(1));
        as(ADMIN)
                .body(Map.of("conditions", guess))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200)
                .body("size", equalTo(1));

        as(ANALYST)
                .body(Map.of("conditions", guess))
                .post("/api/segments/estimate")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("size", nullValue())
                .body("errors[0].field", equalTo("conditions.field"))
                .body("errors[0].message", containsString("'email' is personal data"));
        as(ANALYST)
                .body(Map.of(
                        "segment",
                        "win-back",
                        "conditions",
                        Map.of(
                                "and",
                                List.of(
                                        Map.of("field", "orders", "op", "gte", "value", 0),
                                        Map.of(
                                                "or",
                                                List.of(
                                                        Map.of("field", "tier", "op", "eq", "value", "Gold"),
                                                        Map.of(
                                                                "not",
                                                                Map.of(
                                                                        "field",
                                                                        "phone",
                                                                        "op",
                                                                        "eq",
                                                                        "value",
                                                                        "+12125550150"))))))))
                .post("/api/segments/estimate")
                .then()
                .statusCode(403)
                .body("errors[0].field", equalTo("conditions.and[1].or[1].not.field"));
        as(ANALYST)
                .body(Map.of("conditions", Map.of("field", "customerId", "op", "in", "value", List.of(customer))))
                .post("/api/segments/estimate")
                .then()
                .statusCode(403)
                .body("errors[0].field", equalTo("conditions.field"));
        as(ANALYST)
                .body(Map.of(
                        "conditions",
                        Map.of(
                                "and",
                                List.of(
                                        Map.of("field", "email", "op", "eq", "value", email),
                                        Map.of("field", "phone", "op", "contains", "value", "555")))))
                .post("/api/segments/estimate")
                .then()
                .statusCode(403)
                .body("errors.field", equalTo(List.of("conditions.and[0].field", "conditions.and[1].field")));

        // whether an address is present says nothing about whose it is
        as(ANALYST)
                .body(Map.of(
                        "conditions",
                        Map.of(
                                "and",
                                List.of(
                                        Map.of("field", "email", "op", "exists"),
                                        Map.of("field", "phone", "op", "exists", "value", false)))))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200);
        as(ANALYST)
                .body(Map.of("conditions", Map.of("field", "tier", "op", "eq", "value", "Gold")))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200);
    }

    @Test
    void anAnalystCannotDefineASegmentOrAnAudienceOnPersonalDataAndSeesNoneInRules() {
        String mine = "personal-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id",
                        mine,
                        "name",
                        "One customer",
                        "conditions",
                        Map.of("field", "customerId", "op", "eq", "value", customer)))
                .post("/api/segments")
                .then()
                .statusCode(403)
                .body("errors[0].field", equalTo("conditions.field"));
        assertThat(jdbc.queryForObject(
                        "select count(*) from segment_definition where segment_id = ?", Integer.class, mine))
                .isZero();
        as(ANALYST)
                .body(Map.of(
                        "id", mine, "name", "With an address", "conditions", Map.of("field", "email", "op", "exists")))
                .post("/api/segments")
                .then()
                .statusCode(201);

        // an administrator's segment may name people; analysts read its rule without them
        String admins = "vip-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        admins,
                        "name",
                        "VIPs",
                        "conditions",
                        Map.of("field", "email", "op", "in", "value", List.of(email))))
                .post("/api/segments")
                .then()
                .statusCode(201);
        String ruleForAnalysts = as(ANALYST)
                .get("/api/segments")
                .then()
                .statusCode(200)
                .extract()
                .path("find { it.id == '" + admins + "' }.rule");
        assertThat(ruleForAnalysts)
                .doesNotContain(email)
                .contains("personal data, hidden")
                .contains("email");
        String ruleForServices = as(SERVICE)
                .get("/api/segments")
                .then()
                .statusCode(200)
                .extract()
                .path("find { it.id == '" + admins + "' }.rule");
        assertThat(ruleForServices).contains(email);

        // a campaign audience narrowed by a personal field would count people through journeys
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "win-back",
                        "conditions",
                        Map.of("field", "email", "op", "contains", "value", "oracle-")));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        String campaign = "personal-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of("id", campaign, "name", "Narrowed", "template", WinBackProcess.KEY, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(403)
                .body("errors[0].field", equalTo("settings.audience.conditions.field"));
        as(ANALYST).get("/api/campaigns/{id}", campaign).then().statusCode(404);
        as(ADMIN)
                .body(Map.of("id", campaign, "name", "Narrowed", "template", WinBackProcess.KEY, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .get("/api/campaigns/{id}", campaign)
                .then()
                .statusCode(200)
                .body("settings.audience.conditions.value", equalTo("(personal data, hidden)"));
        as(SERVICE)
                .get("/api/campaigns/{id}", campaign)
                .then()
                .statusCode(200)
                .body("settings.audience.conditions.value", equalTo("oracle-"));
        as(ANALYST)
                .body(Map.of("name", "Narrowed", "template", WinBackProcess.KEY, "settings", settings))
                .put("/api/campaigns/{id}", campaign)
                .then()
                .statusCode(403);
    }
}
