package io.loyalflow.platform;

import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.OPERATOR;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inputs that used to break the service or slip through, each sent over HTTP by the group that would
 * send it: refused with a 4xx problem naming the field, with nothing stored; or, from a signed
 * provider, stored safely. Runs on H2 and again on PostgreSQL, where NUL broke queries for good.
 */
class InputRulesTest extends MessagingIntegrationTest {

    private static final Instant NOW = Instant.parse("2026-06-01T14:00:00Z");
    private static final String NUL = "\u0000";

    @BeforeEach
    void morning() {
        clock.set(NOW);
        senderVerified(true);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    private static Map<String, Object> order(String orderId, String customerId, Object placedAt) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("orderId", orderId);
        order.put("customerId", customerId);
        order.put("placedAt", placedAt);
        order.put("amount", 10);
        order.put("currency", "USD");
        return order;
    }

    // ---- NUL in text

    @Test
    void nulInAnyJsonTextIsRefusedNamingTheFieldAndNothingIsStored() {
        String segment = unique("nul");
        as(ANALYST)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Gold",
                        "conditions",
                        Map.of("and", List.of(Map.of("field", "locale", "op", "eq", "value", "fr" + NUL)))))
                .post("/api/segments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("conditions.and[0].value"))
                .body("errors[0].message", containsString("NUL"));
        as(ANALYST)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Gold" + NUL,
                        "conditions",
                        Map.of("field", "tier", "op", "eq", "value", "Gold")))
                .post("/api/segments")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("name"));
        assertThat(count("select count(*) from segment_definition where segment_id = ?", segment))
                .isZero();
        // with the segment refused, refreshes keep working (a stored NUL made every one answer 500 on PostgreSQL)
        as(ANALYST).post("/api/segments/refresh").then().statusCode(200);

        as(ANALYST)
                .body(Map.of("conditions", Map.of("field", "locale", "op", "in", "value", List.of("fr", NUL))))
                .post("/api/segments/estimate")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("conditions.value[1]"));

        String customer = unique("c");
        as(SERVICE)
                .body(Map.of("email", "nul@example.com", "attributes", Map.of("size", "38" + NUL)))
                .put("/api/customers/{id}", customer)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("attributes.size"));
        as(SERVICE)
                .body(Map.of("attributes", Map.of("si" + NUL + "ze", 38)))
                .put("/api/customers/{id}", customer)
                .then()
                .statusCode(400)
                .body("errors[0].field", startsWith("attributes.si"));
        assertThat(count("select count(*) from customer where customer_id = ?", customer))
                .isZero();

        String campaign = unique("nul");
        as(ANALYST)
                .body(Map.of("id", campaign, "name", "Win" + NUL, "template", WinBackProcess.KEY, "settings", Map.of()))
                .post("/api/campaigns")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("name"));
        as(ANALYST).get("/api/campaigns/{id}", campaign).then().statusCode(404);

        long deliveries = count("select count(*) from delivery");
        as(SERVICE)
                .body(Map.of("channel", "sms", "to", "+12125550199", "smsText", "Hi" + NUL))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("smsText"));
        as(SERVICE)
                .body(Map.of("channel", "sms", "to", "+12125550199", "smsText", "Hi", "category", "x" + NUL))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("category"));
        as(SERVICE)
                .body(Map.of("customerId", customer, "idempotencyKey", "k" + NUL))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("idempotencyKey"));
        assertThat(count("select count(*) from delivery")).isEqualTo(deliveries);
        assertThat(twilioRequests()).isZero();
    }

    @Test
    void controlCharactersInQueryParametersAndPathVariablesAreRefused() {
        as(ANALYST)
                .queryParam("customerId", "c" + NUL)
                .get("/api/segment-events")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("customerId"));
        as(ANALYST)
                .queryParam("after", "c\r\nx")
                .get("/api/segments/{id}/members", "win-back")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("after"));
        // a NUL in the path is refused by the web server before any handler or filter sees it
        as(SERVICE).get("/api/customers/{id}", "c" + NUL).then().statusCode(400);
        as(ANALYST)
                .post("/api/segments/{id}/refresh", "x\u0001y")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("segmentId"));
    }

    @Test
    void signedProviderEventsWithNulAreStoredSafelyNeverRefused() {
        String eventId = "evt-" + UUID.randomUUID() + "\\u0000x";
        String event = sendGridEvent(
                "delivered", UUID.randomUUID().toString(), "ann@example.com", eventId, "\"reason\":\"250 OK\\u0000\"");
        postSendGridEvents("[" + event + "]")
                .then()
                .statusCode(200)
                .body("stored", equalTo(1))
                .body("duplicates", equalTo(0));
        postSendGridEvents("[" + event + "]")
                .then()
                .statusCode(200)
                .body("stored", equalTo(0))
                .body("duplicates", equalTo(1));

        String sid = "SM" + UUID.randomUUID().toString().replace("-", "") + NUL;
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", sid);
        form.put("MessageStatus", "delivered");
        postTwilio("/webhooks/twilio/status", form, true).then().statusCode(204);
        postTwilio("/webhooks/twilio/status", form, true).then().statusCode(204);

        String ours =
                "select source, event_id, payload, applied_at from provider_event where payload like ? or payload like ?";
        Object[] patterns = {"%" + eventId.substring(0, 40) + "%", "%" + sid.substring(0, 30) + "%"};
        List<Map<String, Object>> stored = jdbc.queryForList(ours, patterns);
        assertThat(stored).hasSize(2);
        stored.forEach(row -> {
            assertThat((String) row.get("event_id")).startsWith("sha256:");
            assertThat((String) row.get("payload"))
                    .doesNotContain(NUL)
                    .doesNotContain("\\u0000")
                    .contains("\uFFFD");
        });
        applyWebhookEvents();
        assertThat(jdbc.queryForList(ours, patterns))
                .allSatisfy(row -> assertThat(row.get("applied_at")).isNotNull());
    }

    /**
     * Documents stored before NUL was refused hold the escape {@code \u0000}; migration V16 rewrites it
     * to the replacement character. Run here on a row written as such a document was, since Flyway
     * ran the migration on the empty database at start.
     */
    @Test
    void migrationV16MakesDocumentsStoredWithNulReadableAgain() throws IOException {
        String customer = newCustomer(unique("legacy") + "@example.com", null, "America/New_York", true, false);
        jdbc.update("update customer set attributes = ? where customer_id = ?", "{\"size\":\"38\\u0000\"}", customer);
        String segment = unique("legacy");
        as(ANALYST)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Legacy",
                        "conditions",
                        Map.of("field", "tier", "op", "eq", "value", "Gold")))
                .post("/api/segments")
                .then()
                .statusCode(201);
        jdbc.update(
                "update segment_definition set conditions = ? where segment_id = ?",
                "{\"field\":\"locale\",\"op\":\"eq\",\"value\":\"fr\\u0000\"}",
                segment);

        String migration;
        try (var sql = getClass().getResourceAsStream("/db/migration/V16__json_text_without_nul.sql")) {
            migration = new String(sql.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String statement : migration.replaceAll("(?m)^--.*$", "").split(";")) {
            if (!statement.isBlank()) {
                jdbc.update(statement);
            }
        }

        as(SERVICE)
                .get("/api/customers/{id}", customer)
                .then()
                .statusCode(200)
                .body("attributes.size", equalTo("38\uFFFD"));
        as(ANALYST).get("/api/segments").then().statusCode(200);
        as(ANALYST).post("/api/segments/refresh").then().statusCode(200);
        as(ANALYST).delete("/api/segments/{id}", segment).then().statusCode(204);
    }

    // ---- segment delete

    @Test
    void aDefinedSegmentCanBeDeletedOnceNoCampaignTakesCustomersFromIt() {
        String segment = unique("del");
        as(ANALYST)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Big spenders",
                        "conditions",
                        Map.of("field", "totalSpend", "op", "gte", "value", 100)))
                .post("/api/segments")
                .then()
                .statusCode(201);
        String campaign = unique("uses");
        as(ANALYST)
                .body(Map.of(
                        "id",
                        campaign,
                        "name",
                        "Uses it",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        Map.of("audience", Map.of("segment", segment), "trigger", Map.of("type", "SEGMENT_ENTERED"))))
                .post("/api/campaigns")
                .then()
                .statusCode(201);

        as(OPERATOR).delete("/api/segments/{id}", segment).then().statusCode(403);
        as(ANALYST)
                .delete("/api/segments/{id}", segment)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(campaign))
                .body("errors[0].field", equalTo("segmentId"))
                .body("errors[0].message", containsString(campaign));
        assertThat(count("select count(*) from segment_definition where segment_id = ?", segment))
                .isOne();

        as(ANALYST).post("/api/campaigns/{id}/archive", campaign).then().statusCode(200);
        as(ANALYST).delete("/api/segments/{id}", segment).then().statusCode(204);
        assertThat(count("select count(*) from segment_definition where segment_id = ?", segment))
                .isZero();
        as(ANALYST).get("/api/segments/{id}/members", segment).then().statusCode(404);
        as(ANALYST).delete("/api/segments/{id}", segment).then().statusCode(404);
        as(ANALYST)
                .delete("/api/segments/{id}", "win-back")
                .then()
                .statusCode(409)
                .body("errors[0].field", equalTo("segmentId"));
        as(ANALYST).post("/api/segments/refresh").then().statusCode(200);
    }

    // ---- durations

    @Test
    void waitsAndCyclesAreBoundedAtCreationAndUpdate() {
        String campaign = unique("waits");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("waits", Map.of("orderWait", "P999999999D"));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P3651D"));
        as(ANALYST)
                .body(Map.of("id", campaign, "name", "Too long", "template", WinBackProcess.KEY, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("settings.waits.orderWait"))
                .body("errors.field", hasItem("settings.trigger.every"))
                .body("detail", not(containsString("incident")));
        as(ANALYST).get("/api/campaigns/{id}", campaign).then().statusCode(404);

        as(ANALYST)
                .body(Map.of(
                        "id",
                        campaign,
                        "name",
                        "Longest",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        Map.of("waits", Map.of("orderWait", "P3650D"))))
                .post("/api/campaigns")
                .then()
                .statusCode(201)
                .body("revision", equalTo(1));
        as(ANALYST)
                .body(Map.of(
                        "name",
                        "Longest",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        Map.of("waits", Map.of("orderWait", "P3651D"))))
                .put("/api/campaigns/{id}", campaign)
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("settings.waits.orderWait"))
                .body("errors[0].message", containsString("P3650D"));
        as(ANALYST).get("/api/campaigns/{id}", campaign).then().statusCode(200).body("revision", equalTo(1));
    }

    // ---- imports

    @Test
    void aPlainBodyDeclaredGzipIsRefusedAndNothingIsStored() {
        String orderId = unique("plain");
        byte[] body = ("{\"orderId\":\"" + orderId
                        + "\",\"customerId\":\"c-plain\",\"placedAt\":\"2026-02-03T10:15:00Z\","
                        + "\"amount\":5,\"currency\":\"USD\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        as(SERVICE)
                .contentType("application/x-ndjson")
                .header("Content-Encoding", "gzip")
                .body(body)
                .post("/api/imports/orders")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("Content-Encoding"));
        assertThat(count("select count(*) from customer_order where order_id = ?", orderId))
                .isZero();
    }

    @Test
    void aTruncatedGzipSaysWhatWasStoredBeforeTheBreak() throws IOException {
        String run = unique("gz");
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            ndjson.append("{\"orderId\":\"")
                    .append(run)
                    .append("-")
                    .append(i)
                    .append("\",\"customerId\":\"")
                    .append(run)
                    .append("-c")
                    .append(i % 50)
                    .append("\",\"placedAt\":\"2026-02-03T10:15:00Z\",\"amount\":")
                    .append(i % 97)
                    .append(".")
                    .append(i % 10)
                    .append(",\"currency\":\"USD\",\"items\":[{\"sku\":\"")
                    .append(UUID.randomUUID())
                    .append("\",\"quantity\":1,\"unitPrice\":1}]}\n");
        }
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(zipped)) {
            gzip.write(ndjson.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] truncated = Arrays.copyOf(zipped.toByteArray(), zipped.size() * 6 / 10);

        JsonPath problem = as(SERVICE)
                .contentType("application/x-ndjson")
                .header("Content-Encoding", "gzip")
                .body(truncated)
                .post("/api/imports/orders")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("body"))
                .body("detail", not(containsString("nothing was changed")))
                .extract()
                .jsonPath();
        long accepted = problem.getLong("report.accepted");
        assertThat(accepted).isBetween(1000L, 3999L);
        assertThat(problem.getLong("report.created")).isEqualTo(accepted);
        assertThat(problem.getString("detail")).contains(accepted + " orders");
        assertThat(count("select count(*) from customer_order where order_id like ?", run + "-%"))
                .isEqualTo(accepted);
    }

    @Test
    void anNdjsonLineThatIsNotUtf8IsRefusedByItsNumber() throws IOException {
        String run = unique("utf");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("{\"orderId\":\"" + run + "-1\",\"customerId\":\"" + run
                        + "\",\"placedAt\":\"2026-02-03T10:15:00Z\"," + "\"amount\":5,\"currency\":\"USD\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(
                ("{\"orderId\":\"" + run + "-2\",\"customerId\":\"" + run + "\",\"placedAt\":\"2026-02-03T10:15:00Z\","
                                + "\"amount\":5,\"currency\":\"USD\",\"items\":[{\"sku\":\"CAF")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(new byte[] {(byte) 0xC3, (byte) 0x28}); // a broken two-byte sequence
        body.write("\",\"quantity\":1,\"unitPrice\":5}]}\n".getBytes(StandardCharsets.UTF_8));
        body.write(("{\"orderId\":\"" + run + "-3\",\"customerId\":\"" + run
                        + "\",\"placedAt\":\"2026-02-03T10:15:00Z\"," + "\"amount\":5,\"currency\":\"USD\"}\n")
                .getBytes(StandardCharsets.UTF_8));

        as(SERVICE)
                .contentType("application/x-ndjson")
                .body(body.toByteArray())
                .post("/api/imports/orders")
                .then()
                .statusCode(200)
                .body("created", equalTo(2))
                .body("rejected", equalTo(1))
                .body("errors[0].line", equalTo(2))
                .body("errors[0].errors[0].message", containsString("UTF-8"));
        assertThat(count("select count(*) from customer_order where order_id = ?", run + "-2"))
                .isZero();
        assertThat(count(
                        "select count(*) from customer_order_item where order_id like ? and sku like ?",
                        run + "-%",
                        "%\uFFFD%"))
                .isZero();
    }

    // ---- concurrent enrollments

    @Test
    void concurrentEnrollmentsWithOneIdempotencyKeyAllAnswerTheSameJourney() throws Exception {
        String campaign = unique("idem");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "API_ONLY"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put(
                "messages",
                Map.of(
                        TASK_SEND_OFFER_EMAIL.id(),
                                Map.of("templateId", TEMPLATE, "templateData", Map.of("code", "BACK15")),
                        TASK_SEND_OFFER_SMS.id(), Map.of("smsText", "15% off your next order: BACK15")));
        settings.put("waits", Map.of("orderWait", "P14D", "reminderWait", "P7D"));
        settings.put("options", Map.of("secondReminder", false));
        as(ANALYST)
                .body(Map.of(
                        "id", campaign, "name", "Idempotent", "template", WinBackProcess.KEY, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST).post("/api/campaigns/{id}/activate", campaign).then().statusCode(200);

        int requests = 20;
        for (int round = 0; round < 3; round++) {
            String customer = newCustomer(unique("idem") + "@example.com", null, "America/New_York", true, false);
            String key = unique("key");
            ExecutorService pool = Executors.newFixedThreadPool(requests);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < requests; i++) {
                    Callable<Response> enroll = () -> {
                        start.await();
                        return as(SERVICE)
                                .body(Map.of("customerId", customer, "idempotencyKey", key))
                                .post("/api/campaigns/{id}/enrollments", campaign);
                    };
                    answers.add(pool.submit(enroll));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                List<String> journeys = new ArrayList<>();
                for (Future<Response> answer : answers) {
                    Response response = answer.get();
                    statuses.add(response.statusCode());
                    journeys.add(response.jsonPath().getString("processInstanceId"));
                }
                assertThat(statuses).as("round %d", round).containsOnly(200, 201);
                assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
                assertThat(journeys.stream().distinct()).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(count(
                            "select count(*) from campaign_enrollment where campaign_key = ? and idempotency_key = ?",
                            campaign,
                            key))
                    .isOne();
        }
    }

    // ---- date-times

    @Test
    void dateTimesAreIsoTextWithAnOffsetWithinTheDocumentedRange() {
        String orderId = unique("o");
        String customer = unique("c");
        as(SERVICE)
                .body(order(orderId, customer, 123))
                .post("/api/orders")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("placedAt"));
        as(SERVICE)
                .body(order(orderId, customer, "+10000-01-01T00:00:00Z"))
                .post("/api/orders")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("placedAt"));
        as(SERVICE).get("/api/orders/{id}", orderId).then().statusCode(404);

        as(SERVICE)
                .body(Map.of(
                        "email",
                        "old@example.com",
                        "consents",
                        Map.of(
                                "email",
                                Map.of(
                                        "status",
                                        "OPTED_IN",
                                        "source",
                                        "checkout",
                                        "statedAt",
                                        "-999999999-01-01T00:00:00Z"))))
                .put("/api/customers/{id}", customer)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("consents.email.statedAt"))
                .body("errors[0].message", containsString("1970-01-01T00:00:00Z"));
        as(SERVICE)
                .body(Map.of(
                        "activity",
                        "Active",
                        "successfulReferrals",
                        1,
                        "extendedRevenue",
                        1,
                        "statedAt",
                        "-999999999-01-01T00:00:00Z"))
                .put("/api/customers/{id}/referral", customer)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("statedAt"));
        assertThat(count("select count(*) from customer where customer_id = ?", customer))
                .isZero();

        String known = newCustomer(unique("ev") + "@example.com", null, "America/New_York", true, false);
        as(SERVICE)
                .body(Map.of("type", "SurveyAnswered", "eventId", "e-1", "occurredAt", "1969-12-31T23:59:59Z"))
                .post("/api/customers/{id}/events", known)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("occurredAt"));
        as(SERVICE)
                .body(Map.of("type", "SurveyAnswered", "eventId", "e-2", "occurredAt", 1780000000))
                .post("/api/customers/{id}/events", known)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("occurredAt"));
        assertThat(count(
                        "select count(*) from customer_event e join customer c on c.customer_key = e.customer_key "
                                + "where c.customer_id = ?",
                        known))
                .isZero();
    }

    // ---- single lines and lengths

    @Test
    void aSenderNameWithALineBreakIsRefused() {
        String campaign = unique("crlf");
        as(ANALYST)
                .body(Map.of(
                        "id",
                        campaign,
                        "name",
                        "Header injection",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        Map.of(
                                "sender",
                                Map.of("email", "offers@shop.example", "name", "The Shop\r\nBcc: all@evil.example"))))
                .post("/api/campaigns")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("settings.sender.name"));
        as(ANALYST).get("/api/campaigns/{id}", campaign).then().statusCode(404);
        as(ANALYST)
                .body(Map.of(
                        "id", campaign, "name", "Two\nlines", "template", WinBackProcess.KEY, "settings", Map.of()))
                .post("/api/campaigns")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("name"));
        as(ANALYST).get("/api/campaigns/{id}", campaign).then().statusCode(404);
    }

    @Test
    void smsTestSendsStopAtTheLengthOfCampaignSmsTexts() {
        long deliveries = count("select count(*) from delivery");
        as(SERVICE)
                .body(Map.of("channel", "sms", "to", "+12125550199", "smsText", "x".repeat(200_000)))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("smsText"))
                .body("errors[0].message", containsString("1600"));
        as(SERVICE)
                .body(Map.of("channel", "sms", "to", "+12125550199", "smsText", "x".repeat(1601)))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("smsText"));
        as(SERVICE)
                .body(Map.of("channel", "sms", "to", "+12125550199", "smsText", "x", "category", "a\r\nb"))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("category"));
        assertThat(count("select count(*) from delivery")).isEqualTo(deliveries);
        assertThat(twilioRequests()).isZero();
    }
}
