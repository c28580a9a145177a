package io.loyalflow.customer;

import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.loyalflow.testsupport.DatabaseTest;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code PUT /api/customers/{id}/referral}: the referral program's statistics of a customer. */
class ReferralApiTest extends DatabaseTest {

    private static final String SHARE_URL = "https://mention-me.com/m/ole/cj6qx-ann-lee";

    @Autowired
    JdbcClient jdbc;

    private static String newId() {
        return "c-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static Map<String, Object> statement(String activity, int referrals, Object revenue, String statedAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("activity", activity);
        body.put("successfulReferrals", referrals);
        body.put("shareUrl", SHARE_URL);
        body.put("extendedRevenue", revenue);
        if (statedAt != null) {
            body.put("statedAt", statedAt);
        }
        return body;
    }

    private static Map<String, Object> valid() {
        return statement("Active", 5, new BigDecimal("1234.5"), "2026-01-10T09:00:00Z");
    }

    /** Decimals as BigDecimal, so amounts compare exactly. */
    private ValidatableResponse put(String customerId, Object body) {
        return as(SERVICE)
                .config(RestAssured.config()
                        .jsonConfig(
                                JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)))
                .body(body)
                .put("/api/customers/{id}/referral", customerId)
                .then();
    }

    private ValidatableResponse get(String customerId) {
        return as(SERVICE)
                .config(RestAssured.config()
                        .jsonConfig(
                                JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)))
                .get("/api/customers/{id}", customerId)
                .then();
    }

    private String newProfile() {
        String id = newId();
        as(SERVICE)
                .body(Map.of("email", "ann@example.com", "firstName", "Ann"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201);
        return id;
    }

    private long referralRows(String customerId) {
        return jdbc.sql("select count(*) from customer_referral r join customer c on c.customer_key = r.customer_key "
                        + "where c.customer_id = ?")
                .param(customerId)
                .query(Long.class)
                .single();
    }

    private long customers(String customerId) {
        return jdbc.sql("select count(*) from customer where customer_id = ?")
                .param(customerId)
                .query(Long.class)
                .single();
    }

    @Test
    void createsTheStatisticsAndTheCustomerShowsThem() {
        String id = newProfile();
        clock.set(Instant.parse("2026-02-01T10:00:00Z"));

        put(id, statement("active", 5, new BigDecimal("1234.5678"), "2026-01-10T09:00:00+01:00"))
                .statusCode(201)
                .body("customerId", equalTo(id))
                .body("applied", equalTo(true))
                .body("referral.activity", equalTo("Active"))
                .body("referral.successfulReferrals", equalTo(5))
                .body("referral.shareUrl", equalTo(SHARE_URL))
                .body("referral.extendedRevenue", equalTo(new BigDecimal("1234.5678")))
                .body("referral.statedAt", equalTo("2026-01-10T08:00:00Z"))
                .body("referral.updatedAt", equalTo("2026-02-01T10:00:00Z"));

        get(id).statusCode(200)
                .header("ETag", "\"1\"") // referral statistics are not part of the profile's version
                .body("version", equalTo(1))
                .body("origin", equalTo("PROFILE"))
                .body("email", equalTo("ann@example.com"))
                .body("referral.activity", equalTo("Active"))
                .body("referral.successfulReferrals", equalTo(5))
                .body("referral.shareUrl", equalTo(SHARE_URL))
                .body("referral.extendedRevenue", equalTo(new BigDecimal("1234.5678")))
                .body("referral.statedAt", equalTo("2026-01-10T08:00:00Z"));
        var row = jdbc.sql("select r.activity, r.extended_revenue from customer_referral r join customer c "
                        + "on c.customer_key = r.customer_key where c.customer_id = ?")
                .param(id)
                .query()
                .singleRow();
        assertThat(row.get("activity")).isEqualTo("ACTIVE");
        assertThat((BigDecimal) row.get("extended_revenue")).isEqualByComparingTo("1234.5678");
    }

    @Test
    void aCustomerWithoutStatisticsShowsNull() {
        String id = newProfile();
        get(id).statusCode(200).body("referral", nullValue());
    }

    @Test
    void aNewerStatementReplacesTheStatisticsAndTheSameOneAgainChangesNothing() {
        String id = newProfile();
        put(id, valid()).statusCode(201);

        Map<String, Object> newer = statement("DORMANT", 7, 2000, "2026-01-11T09:00:00Z");
        newer.remove("shareUrl");
        clock.set(Instant.parse("2026-02-01T10:00:00Z"));
        put(id, newer)
                .statusCode(200)
                .body("applied", equalTo(true))
                .body("referral.activity", equalTo("Dormant"))
                .body("referral.successfulReferrals", equalTo(7))
                .body("referral.shareUrl", nullValue())
                .body("referral.extendedRevenue", equalTo(2000))
                .body("referral.statedAt", equalTo("2026-01-11T09:00:00Z"))
                .body("referral.updatedAt", equalTo("2026-02-01T10:00:00Z"));

        clock.set(Instant.parse("2026-02-02T10:00:00Z"));
        put(id, newer)
                .statusCode(200)
                .body("applied", equalTo(true))
                .body("referral.updatedAt", equalTo("2026-02-01T10:00:00Z"));
        get(id).body("referral.activity", equalTo("Dormant")).body("referral.extendedRevenue", equalTo(2000));
        assertThat(referralRows(id)).isOne();
    }

    @Test
    void anOlderStatementIsAnsweredWithTheStatisticsOnRecordAndNotApplied() {
        String id = newProfile();
        put(id, statement("Active", 5, 100, "2026-01-10T09:00:00Z")).statusCode(201);

        // computed before the one on record, delivered late: it must not win
        put(id, statement("Dormant", 1, 50, "2026-01-10T08:59:59Z"))
                .statusCode(200)
                .body("applied", equalTo(false))
                .body("referral.activity", equalTo("Active"))
                .body("referral.successfulReferrals", equalTo(5))
                .body("referral.extendedRevenue", equalTo(100))
                .body("referral.statedAt", equalTo("2026-01-10T09:00:00Z"));
        get(id).body("referral.activity", equalTo("Active")).body("referral.successfulReferrals", equalTo(5));

        // one stated at the same moment does replace it
        put(id, statement("Dormant", 6, 120, "2026-01-10T09:00:00Z"))
                .statusCode(200)
                .body("applied", equalTo(true))
                .body("referral.activity", equalTo("Dormant"));
    }

    @Test
    void statedAtDefaultsToNowAndMayBeAFewMinutesAhead() {
        String id = newProfile();
        clock.set(Instant.parse("2026-02-01T10:00:00Z"));
        put(id, statement("Active", 1, 0, null))
                .statusCode(201)
                .body("referral.statedAt", equalTo("2026-02-01T10:00:00Z"));
        // a sender's clock slightly ahead is tolerated
        put(id, statement("Active", 2, 0, "2026-02-01T10:04:59Z"))
                .statusCode(200)
                .body("applied", equalTo(true))
                .body("referral.successfulReferrals", equalTo(2));
    }

    @Test
    void anUnknownCustomerIsCreatedBareAndTheShopsProfileCompletesIt() {
        String id = newId();
        put(id, valid())
                .statusCode(201)
                .body("customerId", equalTo(id))
                .body("referral.successfulReferrals", equalTo(5));

        get(id).statusCode(200)
                .body("origin", equalTo("REFERRAL"))
                .body("email", nullValue())
                .body("features.orders", equalTo(0))
                .body("referral.shareUrl", equalTo(SHARE_URL));
        as(SERVICE)
                .body(Map.of("email", "late@example.com"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .body("email", equalTo("late@example.com"))
                .body("referral.successfulReferrals", equalTo(5));
        assertThat(customers(id)).isOne();
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                Arguments.of("activity", null, "is required"),
                Arguments.of("activity", "Sleeping", "Active or Dormant"),
                Arguments.of("activity", "", "Active or Dormant"),
                Arguments.of("successfulReferrals", null, "is required"),
                Arguments.of("successfulReferrals", -1, "0 or more"),
                Arguments.of("shareUrl", "ftp://mention-me.com/m/x", "http"),
                Arguments.of("shareUrl", "/m/ole/cj6qx-ann-lee", "absolute"),
                Arguments.of("shareUrl", "https://exa mple.com/x", "absolute"),
                Arguments.of("shareUrl", "mailto:ann@example.com", "absolute"),
                Arguments.of("shareUrl", "https:///no-host", "absolute"),
                Arguments.of("shareUrl", "https://mention-me.com/" + "x".repeat(2030), "2048"),
                Arguments.of("extendedRevenue", null, "is required"),
                Arguments.of("extendedRevenue", new BigDecimal("-0.01"), "0 or more"),
                Arguments.of("extendedRevenue", new BigDecimal("1.23456"), "at most 4 decimals"),
                Arguments.of("extendedRevenue", new BigDecimal("1000000000000000"), "less than"),
                Arguments.of("statedAt", "2026-02-01T10:05:01Z", "future"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidFields")
    void eachInvalidFieldIsRefusedByNameAndNothingIsStored(String field, Object value, String message) {
        clock.set(Instant.parse("2026-02-01T10:00:00Z"));
        String id = newProfile();
        put(id, valid()).statusCode(201);
        Map<String, Object> bad = new HashMap<>(valid());
        bad.put("statedAt", "2026-01-20T09:00:00Z");
        bad.put("successfulReferrals", 9);
        if (value == null) {
            bad.remove(field);
        } else {
            bad.put(field, value);
        }

        put(id, bad)
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:loyalflow:problem:invalid-fields"))
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo(field))
                .body("errors[0].message", containsString(message));

        get(id).statusCode(200)
                .body("referral.successfulReferrals", equalTo(5))
                .body("referral.statedAt", equalTo("2026-01-10T09:00:00Z"));

        // nor is a customer created for an invalid statement
        String unknown = newId();
        put(unknown, bad).statusCode(422).body("errors[0].field", equalTo(field));
        assertThat(customers(unknown)).isZero();
    }

    @Test
    void everyFaultIsReportedAtOnce() {
        String id = newId();
        JsonPath problem = put(
                        id,
                        Map.of(
                                "activity",
                                "sometimes",
                                "successfulReferrals",
                                -3,
                                "shareUrl",
                                "nope",
                                "extendedRevenue",
                                -1))
                .statusCode(422)
                .body("errors", hasSize(4))
                .extract()
                .jsonPath();
        assertThat(problem.getList("errors.field"))
                .containsExactlyInAnyOrder("activity", "successfulReferrals", "shareUrl", "extendedRevenue");
        as(SERVICE).get("/api/customers/{id}", id).then().statusCode(404);
    }

    @Test
    void wrongJsonTypesAreMalformedRequestsNamingTheField() {
        String id = newProfile();
        for (Map.Entry<String, Object> wrong : List.<Map.Entry<String, Object>>of(
                Map.entry("successfulReferrals", 1.5),
                Map.entry("successfulReferrals", "5"),
                Map.entry("extendedRevenue", "12.50"),
                Map.entry("activity", 1),
                Map.entry("statedAt", "yesterday"),
                Map.entry("referrer", "x"))) {
            Map<String, Object> body = new HashMap<>(valid());
            body.put(wrong.getKey(), wrong.getValue());
            put(id, body)
                    .statusCode(400)
                    .body("type", equalTo("urn:loyalflow:problem:malformed-request"))
                    .body("errors[0].field", equalTo(wrong.getKey()));
        }
        get(id).body("referral", nullValue());
    }

    @Test
    void badCustomerIdsAreRefused() {
        put("has:colon", valid()).statusCode(422).body("errors[0].field", equalTo("customerId"));
    }

    @Test
    void anErasedCustomerIs404AndIsNotBroughtBack() {
        String id = newProfile();
        put(id, valid()).statusCode(201);
        long key = jdbc.sql("select customer_key from customer where customer_id = ?")
                .param(id)
                .query(Long.class)
                .single();

        as(SERVICE).delete("/api/customers/{id}", id).then().statusCode(204);

        assertThat(jdbc.sql("select count(*) from customer_referral where customer_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
        put(id, valid())
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:loyalflow:problem:not-found"))
                .body("detail", containsString("erased"));
        assertThat(customers(id)).isZero();
        as(SERVICE).get("/api/customers/{id}", id).then().statusCode(404);
        // the erased id is not stored in clear
        assertThat(jdbc.sql("select count(*) from erased_customer_id where id_hash = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isZero();

        // a new profile with the id starts a new customer, whose statistics are accepted
        as(SERVICE)
                .body(Map.of("email", "again@example.com"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201);
        put(id, valid()).statusCode(201);
        get(id).body("referral.successfulReferrals", equalTo(5));
    }

    @Test
    void erasureRemovesTheStatistics() {
        String id = newId();
        put(id, valid()).statusCode(201);
        long key = jdbc.sql("select customer_key from customer where customer_id = ?")
                .param(id)
                .query(Long.class)
                .single();

        as(SERVICE).delete("/api/customers/{id}", id).then().statusCode(204);

        assertThat(jdbc.sql("select count(*) from customer_referral where customer_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("select customer_id from customer where customer_key = ?")
                        .param(key)
                        .query(String.class)
                        .optional())
                .isEmpty();
    }

    @Test
    void concurrentStatementsForANewCustomerCreateOneCustomerAndOneRow() throws Exception {
        String id = newId();
        List<Integer> statuses = concurrently(
                8,
                i -> as(SERVICE)
                        .body(valid())
                        .put("/api/customers/{id}/referral", id)
                        .then()
                        .extract()
                        .statusCode());

        assertThat(statuses).containsOnly(201, 200);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(customers(id)).isOne();
        assertThat(referralRows(id)).isOne();
        get(id).body("origin", equalTo("REFERRAL")).body("referral.successfulReferrals", equalTo(5));
    }

    @Test
    void analystsMayNotStateReferralStatistics() {
        as(ANALYST)
                .body(valid())
                .put("/api/customers/{id}/referral", newId())
                .then()
                .statusCode(403);
    }

    interface Call {
        int run(int i);
    }

    private static List<Integer> concurrently(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Integer> task = () -> {
                    start.await();
                    return call.run(index);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
