package io.loyalflow.campaign;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_REMINDER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_REMINDER_SMS;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.MONITORING;
import static io.loyalflow.testsupport.TestUsers.NO_GROUP;
import static io.loyalflow.testsupport.TestUsers.OPERATOR;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.restassured.path.json.JsonPath;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A campaign's messages sent to a tester through the real SendGrid and Twilio SDKs (WireMock),
 * rendered as the campaign renders them, recorded as test deliveries, and nobody enrolled.
 */
class CampaignTestSendTest extends MessagingIntegrationTest {

    private static final String REMINDER_TEMPLATE = "d-fedcba9876543210fedcba9876543210";
    private static final String TESTER_PHONE = ANALYST.phone;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> settings(boolean secondReminder, String code, String offerSms) {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                TASK_SEND_OFFER_EMAIL.id(),
                Map.of("templateId", TEMPLATE, "templateData", Map.of("code", code, "name", "{{firstName|friend}}")));
        messages.put(TASK_SEND_OFFER_SMS.id(), Map.of("smsText", offerSms));
        if (secondReminder) {
            messages.put(TASK_SEND_REMINDER_EMAIL.id(), Map.of("templateId", REMINDER_TEMPLATE));
            messages.put(
                    TASK_SEND_REMINDER_SMS.id(), Map.of("smsText", "Last days for " + code + ", {{firstName|friend}}"));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", "win-back"));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "winback@shop.example", "name", "Win-back team"));
        settings.put("messages", messages);
        settings.put("options", Map.of("secondReminder", secondReminder));
        return settings;
    }

    private String draft(Map<String, Object> settings) {
        String id = "ts-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of("id", id, "name", "Test-send " + id, "template", WinBackProcess.KEY, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201)
                .body("state", equalTo("DRAFT"));
        return id;
    }

    private List<LoggedRequest> requestsTo(String path) {
        return PROVIDERS.findAll(postRequestedFor(urlEqualTo(path)));
    }

    private static JsonNode json(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> form(LoggedRequest request) {
        return Arrays.stream(request.getBodyAsString().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(
                        kv -> URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv -> URLDecoder.decode(kv[1], StandardCharsets.UTF_8)));
    }

    private long journeysOf(String campaign) {
        return runtimeService
                        .createProcessInstanceQuery()
                        .processInstanceBusinessKeyLike(campaign + ":%")
                        .count()
                + jdbc.queryForObject(
                        "select count(*) from campaign_enrollment where campaign_key = ?", Long.class, campaign);
    }

    @Test
    void aDraftSendsEveryStepToTheServiceTesterRenderedWithTheSampleCustomerAsTestsAndEnrollsNobody() {
        String customer = newCustomer(
                "ann-" + UUID.randomUUID() + "@example.com", "+12125550123", "America/New_York", false, false);
        String campaign = draft(settings(true, "BACK15", "{{firstName|Hi}}, 15% off: BACK15"));
        sendGridAccepts("sg-test-send");
        twilioAccepts("SM" + "b".repeat(32));

        JsonPath answer = as(SERVICE)
                .body(Map.of("email", "QA@Example.com", "phone", TESTER_PHONE, "customerId", customer))
                .post("/api/campaigns/{id}/test-send", campaign)
                .then()
                .statusCode(200)
                .body("campaignId", equalTo(campaign))
                .body("revision", equalTo(1))
                .body("customerId", equalTo(customer))
                .body("sender.email", equalTo("winback@shop.example"))
                .body("sender.name", equalTo("Win-back team"))
                .body(
                        "steps.step",
                        contains(
                                TASK_SEND_OFFER_EMAIL.id(),
                                TASK_SEND_REMINDER_EMAIL.id(),
                                TASK_SEND_OFFER_SMS.id(),
                                TASK_SEND_REMINDER_SMS.id()))
                .body("steps.channel", contains("email", "email", "sms", "sms"))
                .body("steps.to", contains("qa@example.com", "qa@example.com", TESTER_PHONE, TESTER_PHONE))
                .body("steps.gateDecision", everyItem(equalTo("PASSED_TEST")))
                .body("steps.status", everyItem(equalTo("SENT")))
                .body("steps.error", everyItem(nullValue()))
                .extract()
                .jsonPath();

        List<JsonNode> emails = requestsTo(SENDGRID_SEND).stream()
                .map(CampaignTestSendTest::json)
                .toList();
        assertThat(emails)
                .extracting(mail -> mail.path("template_id").asText())
                .containsExactlyInAnyOrder(TEMPLATE, REMINDER_TEMPLATE);
        assertThat(emails).allSatisfy(mail -> {
            assertThat(mail.path("from").path("email").asText()).isEqualTo("winback@shop.example");
            assertThat(mail.path("from").path("name").asText()).isEqualTo("Win-back team");
            JsonNode personalization = mail.path("personalizations").get(0);
            assertThat(personalization.path("to").get(0).path("email").asText()).isEqualTo("qa@example.com");
            assertThat(personalization
                            .path("custom_args")
                            .path("loyalflow_test")
                            .asText())
                    .isEqualTo("true");
        });
        JsonNode offer = emails.stream()
                .filter(mail -> mail.path("template_id").asText().equals(TEMPLATE))
                .findFirst()
                .orElseThrow()
                .path("personalizations")
                .get(0)
                .path("dynamic_template_data");
        assertThat(offer.path("name").asText()).isEqualTo("Ann");
        assertThat(offer.path("code").asText()).isEqualTo("BACK15");

        assertThat(requestsTo(TWILIO_SEND))
                .map(CampaignTestSendTest::form)
                .allSatisfy(sms -> assertThat(sms).containsEntry("To", TESTER_PHONE))
                .extracting(sms -> sms.get("Body"))
                .containsExactlyInAnyOrder("Ann, 15% off: BACK15", "Last days for BACK15, Ann");

        // recorded as test deliveries of the campaign, for the sample customer
        for (String deliveryId : answer.<String>getList("steps.deliveryId")) {
            as(SERVICE)
                    .get("/api/deliveries/{id}", deliveryId)
                    .then()
                    .statusCode(200)
                    .body("test", equalTo(true))
                    .body("campaign", equalTo(campaign))
                    .body("customerId", equalTo(customer))
                    .body("processInstanceId", nullValue());
        }
        // nobody enrolled, no journey, still a draft
        assertThat(journeysOf(campaign)).isZero();
        as(ANALYST).get("/api/campaigns/{id}", campaign).then().body("state", equalTo("DRAFT"));
    }

    @Test
    void anAnalystSendsOnlyToTheirOwnVerifiedAddressAndPhoneAndSeesTheSampleCustomerAsPlaceholders() {
        String email = "ann-" + UUID.randomUUID() + "@example.com";
        String customer = newCustomer(email, "+12125550177", "America/New_York", false, false);
        String campaign = draft(settings(true, "BACK15", "{{firstName|Hi}} {{lastName}} {{email}}, 15% off: BACK15"));
        sendGridAccepts("sg-analyst-test-send");
        twilioAccepts("SM" + "e".repeat(32));

        // anyone else's address or phone: refused, naming the field, nothing sent
        as(ANALYST)
                .body(Map.of("email", "someone-else@example.com", "phone", "+12125550166", "customerId", customer))
                .post("/api/campaigns/{id}/test-send", campaign)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("email", "phone"));
        as(ANALYST)
                .body(Map.of("email", ANALYST.email, "phone", "+12125550166"))
                .post("/api/campaigns/{id}/test-send", campaign)
                .then()
                .statusCode(403)
                .body("errors.field", contains("phone"));
        assertThat(requestsTo(SENDGRID_SEND)).isEmpty();
        assertThat(requestsTo(TWILIO_SEND)).isEmpty();

        // their own: sent, with placeholders where the sample customer's personal data would be
        as(ANALYST)
                .body(Map.of(
                        "email",
                        ANALYST.email.toUpperCase(java.util.Locale.ROOT),
                        "phone",
                        ANALYST.phone,
                        "customerId",
                        customer))
                .post("/api/campaigns/{id}/test-send", campaign)
                .then()
                .statusCode(200)
                .body("steps.status", everyItem(equalTo("SENT")));
        JsonNode offer = requestsTo(SENDGRID_SEND).stream()
                .map(CampaignTestSendTest::json)
                .filter(mail -> mail.path("template_id").asText().equals(TEMPLATE))
                .findFirst()
                .orElseThrow()
                .path("personalizations")
                .get(0)
                .path("dynamic_template_data");
        assertThat(offer.path("name").asText()).isEqualTo("[first name]");
        assertThat(requestsTo(TWILIO_SEND))
                .map(CampaignTestSendTest::form)
                .extracting(sms -> sms.get("Body"))
                .containsExactlyInAnyOrder(
                        "[first name] [last name] [e-mail address], 15% off: BACK15",
                        "Last days for BACK15, [first name]");
        assertThat(requestsTo(SENDGRID_SEND))
                .extracting(LoggedRequest::getBodyAsString)
                .allSatisfy(body -> assertThat(body).doesNotContain("Ann").doesNotContain(email));
    }

    @Test
    void withoutASampleTheFallbacksApplyAndStepsWithoutAMessageOrAnAddressAreSkipped() {
        String campaign = draft(settings(false, "BACK15", "{{firstName|Hi}}, 15% off: BACK15"));
        sendGridAccepts("sg-fallbacks");

        as(SERVICE)
                .body(Map.of("email", "qa@example.com"))
                .post("/api/campaigns/{id}/test-send", campaign)
                .then()
                .statusCode(200)
                .body(
                        "steps.step",
                        contains(
                                TASK_SEND_OFFER_EMAIL.id(),
                                TASK_SEND_REMINDER_EMAIL.id(),
                                TASK_SEND_OFFER_SMS.id(),
                                TASK_SEND_REMINDER_SMS.id()))
                .body("steps.status", contains("SENT", null, null, null))
                .body("steps[1].skipped", containsString("option secondReminder"))
                .body("steps[2].skipped", containsString("no phone"))
                .body("steps[2].to", nullValue())
                .body("steps[3].skipped", containsString("no message"));
        assertThat(requestsTo(SENDGRID_SEND)).singleElement().satisfies(request -> {
            JsonNode data = json(request).path("personalizations").get(0).path("dynamic_template_data");
            assertThat(data.path("name").asText()).isEqualTo("friend");
            // without a campaign sender in the settings the configured one would be used; this campaign has its own
            assertThat(json(request).path("from").path("email").asText()).isEqualTo("winback@shop.example");
        });
        assertThat(twilioRequests()).isZero();
    }

    @Test
    void anEarlierRevisionAndChosenStepsCanBeSent() {
        String campaign = draft(settings(false, "BACK15", "Hi, BACK15"));
        as(ANALYST)
                .body(Map.of(
                        "name",
                        "Now 20%",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        settings(false, "BACK20", "Hi, BACK20")))
                .put("/api/campaigns/{id}", campaign)
                .then()
                .statusCode(200)
                .body("revision", equalTo(2));
        sendGridAccepts("sg-revision");
        twilioAccepts("SM" + "c".repeat(32));

        as(ANALYST)
                .body(Map.of(
                        "email",
                        "qa@example.com",
                        "phone",
                        TESTER_PHONE,
                        "revision",
                        1,
                        "steps",
                        List.of(TASK_SEND_OFFER_SMS.id())))
                .post("/api/campaigns/{id}/test-send", campaign)
                .then()
                .statusCode(200)
                .body("revision", equalTo(1))
                .body("sender", nullValue())
                .body("steps", hasSize(1))
                .body("steps[0].status", equalTo("SENT"));
        assertThat(requestsTo(TWILIO_SEND))
                .singleElement()
                .satisfies(request -> assertThat(form(request)).containsEntry("Body", "Hi, BACK15"));

        as(ANALYST)
                .body(Map.of("email", "qa@example.com", "steps", List.of(TASK_SEND_OFFER_EMAIL.id())))
                .post("/api/campaigns/{id}/test-send", campaign)
                .then()
                .statusCode(200)
                .body("revision", equalTo(2))
                .body("steps", hasSize(1));
        assertThat(requestsTo(SENDGRID_SEND))
                .singleElement()
                .satisfies(request -> assertThat(json(request)
                                .path("personalizations")
                                .get(0)
                                .path("dynamic_template_data")
                                .path("code")
                                .asText())
                        .isEqualTo("BACK20"));
    }

    @Test
    void aMessageThatCannotRenderInATestIsThatStepsErrorAndTheOtherStepsGo() {
        String campaign = draft(settings(false, "BACK15", "Your code: {{var.discountCode}}"));
        sendGridAccepts("sg-other-step");

        as(ANALYST)
                .body(Map.of(
                        "email",
                        "qa@example.com",
                        "phone",
                        TESTER_PHONE,
                        "steps",
                        List.of(TASK_SEND_OFFER_EMAIL.id(), TASK_SEND_OFFER_SMS.id())))
                .post("/api/campaigns/{id}/test-send", campaign)
                .then()
                .statusCode(200)
                .body("steps.status", contains("SENT", null))
                .body("steps[1].deliveryId", nullValue())
                .body("steps[1].error", containsString("settings.messages.Task_SendOfferSms.smsText"))
                .body("steps[1].error", containsString("{{var.discountCode|sample}}"));
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(twilioRequests()).isZero();
    }

    @Test
    void badRequestsAreRefusedNamingTheFieldAndSendNothing() {
        String campaign = draft(settings(false, "BACK15", "Hi, BACK15"));
        String path = "/api/campaigns/{id}/test-send";

        as(ANALYST)
                .body(Map.of())
                .post(path, campaign)
                .then()
                .statusCode(422)
                .body("errors.field", containsInAnyOrder("email", "phone"));
        as(ANALYST)
                .body(Map.of("email", "not an address", "phone", "12"))
                .post(path, campaign)
                .then()
                .statusCode(422)
                .body("errors.field", containsInAnyOrder("email", "phone"));
        as(ANALYST)
                .body(Map.of("email", "qa@example.com", "steps", List.of(TASK_SEND_OFFER_EMAIL.id(), "Task_Nope")))
                .post(path, campaign)
                .then()
                .statusCode(422)
                .body("errors.field", contains("steps[1]"));
        as(ANALYST)
                .body(Map.of("email", "qa@example.com", "steps", List.of(TASK_SEND_REMINDER_EMAIL.id())))
                .post(path, campaign)
                .then()
                .statusCode(422)
                .body("errors.field", contains("steps[0]"))
                .body("errors[0].message", containsString("no message"));
        as(ANALYST)
                .body(Map.of("email", "qa@example.com", "steps", List.of()))
                .post(path, campaign)
                .then()
                .statusCode(422)
                .body("errors.field", contains("steps"));
        as(ANALYST)
                .body(Map.of("email", "qa@example.com", "steps", List.of(TASK_SEND_OFFER_SMS.id())))
                .post(path, campaign)
                .then()
                .statusCode(422)
                .body("errors.field", contains("phone"));
        as(ANALYST)
                .body(Map.of("email", "qa@example.com", "customerId", "c-nobody-" + UUID.randomUUID()))
                .post(path, campaign)
                .then()
                .statusCode(422)
                .body("errors.field", contains("customerId"));
        as(ANALYST)
                .body(Map.of("email", "qa@example.com", "revision", 2))
                .post(path, campaign)
                .then()
                .statusCode(422)
                .body("errors.field", contains("revision"));
        assertThat(sendGridRequests()).isZero();
        assertThat(twilioRequests()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from delivery where campaign = ?", Long.class, campaign))
                .isZero();

        as(ANALYST)
                .body(Map.of("email", "qa@example.com"))
                .post(path, "no-such-campaign")
                .then()
                .statusCode(404);

        as(OPERATOR)
                .body(Map.of("email", "qa@example.com"))
                .post(path, campaign)
                .then()
                .statusCode(403);
        as(MONITORING)
                .body(Map.of("email", "qa@example.com"))
                .post(path, campaign)
                .then()
                .statusCode(403);
        as(NO_GROUP)
                .body(Map.of("email", "qa@example.com"))
                .post(path, campaign)
                .then()
                .statusCode(403);

        as(ANALYST).post("/api/campaigns/{id}/archive", campaign).then().statusCode(200);
        as(ANALYST)
                .body(Map.of("email", "qa@example.com"))
                .post(path, campaign)
                .then()
                .statusCode(409)
                .body("errors.field", contains("state"));
        assertThat(sendGridRequests()).isZero();
    }
}
