package io.loyalflow.messaging;

import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.testsupport.IntegrationTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The texts of messages that analysts and services submit have length limits, and a hostile text
 * (<code>{{</code> and a hundred thousand spaces, which once pinned a CPU for good) is answered at once with
 * a problem naming the field. The bound below only catches a hang; the answers come in milliseconds.
 */
class MessageTextLimitsTest extends IntegrationTest {

    private static final Duration HANG = Duration.ofSeconds(20);
    private static final String HOSTILE = "{{" + " ".repeat(99_998);
    private static final String TESTER_PHONE = "+12125550188";

    @Autowired
    JdbcTemplate jdbc;

    private int deliveries() {
        return jdbc.queryForObject("select count(*) from delivery", Integer.class);
    }

    @Test
    void anOverLongSmsTestSendIsRefusedAtOnceNamingTheText() {
        int before = deliveries();

        assertTimeoutPreemptively(
                HANG,
                () -> as(SERVICE)
                        .body(Map.of("channel", "sms", "to", TESTER_PHONE, "smsText", HOSTILE))
                        .post("/api/messaging/test-sends")
                        .then()
                        .statusCode(422)
                        .contentType("application/problem+json")
                        .body("type", equalTo("urn:loyalflow:problem:invalid-fields"))
                        .body("errors.field", contains("smsText"))
                        .body("errors[0].message", equalTo("must be at most 1600 characters")));
        assertThat(deliveries()).isEqualTo(before);
    }

    @Test
    void overLongTemplateDataCategoryAddressAndSampleCustomerAreRefusedNamingEach() {
        int before = deliveries();

        assertTimeoutPreemptively(
                HANG,
                () -> as(SERVICE)
                        .body(Map.of(
                                "channel",
                                "email",
                                "to",
                                "x".repeat(100_000) + "@example.com",
                                "templateId",
                                "d-0123456789abcdef0123456789abcdef",
                                "templateData",
                                Map.of("greeting", HOSTILE),
                                "category",
                                "c".repeat(100_000),
                                "sampleCustomerId",
                                "s".repeat(100_000)))
                        .post("/api/messaging/test-sends")
                        .then()
                        .statusCode(422)
                        .body("errors.field", hasItem("templateData"))
                        .body("errors.field", hasItem("category"))
                        .body("errors.field", hasItem("to"))
                        .body("errors.field", hasItem("sampleCustomerId")));
        assertThat(deliveries()).isEqualTo(before);
    }

    @Test
    void aCampaignsHostileTextsAreRefusedNamingTheSettingAndItsTestSendFieldsAreLimitedToo() {
        String id = "limits-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                TASK_SEND_OFFER_EMAIL.id(),
                Map.of(
                        "templateId",
                        "d-0123456789abcdef0123456789abcdef",
                        "templateData",
                        Map.of("greeting", HOSTILE)));
        messages.put(TASK_SEND_OFFER_SMS.id(), Map.of("smsText", HOSTILE));
        Map<String, Object> hostile = Map.of(
                "audience",
                Map.of("segment", "win-back"),
                "messages",
                messages,
                "arms",
                Map.of("Task_Split", "A:50, B:50," + " ".repeat(100_000)));

        assertTimeoutPreemptively(
                HANG,
                () -> as(ANALYST)
                        .body(Map.of("id", id, "name", "Limits", "template", WinBackProcess.KEY, "settings", hostile))
                        .post("/api/campaigns")
                        .then()
                        .statusCode(422)
                        .body("errors.field", hasItem("settings.messages.Task_SendOfferEmail.templateData"))
                        .body("errors.field", hasItem("settings.messages.Task_SendOfferSms.smsText"))
                        .body("errors.field", hasItem("settings.arms.Task_Split")));
        as(ANALYST).get("/api/campaigns/{id}", id).then().statusCode(404);

        as(ANALYST)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Limits",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        Map.of("audience", Map.of("segment", "win-back"))))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        assertTimeoutPreemptively(
                HANG,
                () -> as(ANALYST)
                        .body(Map.of(
                                "phone",
                                TESTER_PHONE,
                                "customerId",
                                "c".repeat(100_000),
                                "steps",
                                List.of("S".repeat(100_000))))
                        .post("/api/campaigns/{id}/test-send", id)
                        .then()
                        .statusCode(422)
                        .body("errors.field", hasItem("customerId"))
                        .body("errors.field", hasItem("steps[0]")));
    }

    @Test
    void overLongSegmentDecisionKeysAreRefusedNamingThem() {
        as(ANALYST)
                .body(Map.of("decision", "d".repeat(100_000)))
                .post("/api/segments/estimate")
                .then()
                .statusCode(422)
                .body("errors.find { it.field == 'decision' }.message", equalTo("must be at most 255 characters"));
        as(ANALYST)
                .body(Map.of("id", "limits-segment", "name", "Limits", "decision", "d".repeat(100_000)))
                .post("/api/segments")
                .then()
                .statusCode(422)
                .body("errors.find { it.field == 'decision' }.message", equalTo("must be at most 255 characters"));
    }
}
