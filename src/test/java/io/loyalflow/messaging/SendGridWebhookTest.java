package io.loyalflow.messaging;

import static io.loyalflow.messaging.MessagingVariables.DELIVERY_ID;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/** The signed SendGrid Event Webhook: verification, storage before the answer, deduplication, application. */
class SendGridWebhookTest extends MessagingIntegrationTest {

    private int storedEvents() {
        return jdbc.queryForObject("select count(*) from provider_event", Integer.class);
    }

    private String sentEmail(ProcessInstance journey) {
        runDueJobs(journey.getId());
        return (String) variable(journey.getId(), DELIVERY_ID.name());
    }

    @Test
    void refusesMissingTamperedForeignAndStaleSignaturesAndStoresNothing() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String body = "[" + sendGridEvent("open", "d-1", "x@example.com", "refused-1", null) + "]";
        int before = storedEvents();

        RestAssured.given()
                .port(port)
                .contentType("application/json")
                .body(body)
                .post("/webhooks/sendgrid")
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:loyalflow:problem:signature-refused"));

        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String signature = signSendGrid(timestamp, body.getBytes(StandardCharsets.UTF_8));
        RestAssured.given()
                .port(port)
                .contentType("application/json")
                .body(body.replace("open", "click"))
                .header("X-Twilio-Email-Event-Webhook-Signature", signature)
                .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
                .post("/webhooks/sendgrid")
                .then()
                .statusCode(403);
        RestAssured.given()
                .port(port)
                .contentType("application/json")
                .body(body)
                .header("X-Twilio-Email-Event-Webhook-Signature", signature)
                .header(
                        "X-Twilio-Email-Event-Webhook-Timestamp",
                        Long.toString(clock.instant().getEpochSecond() + 1))
                .post("/webhooks/sendgrid")
                .then()
                .statusCode(403);
        // SendGrid's own published test vector: valid, but signed with another key than the configured one
        RestAssured.given()
                .port(port)
                .contentType("application/json")
                .body(body)
                .header(
                        "X-Twilio-Email-Event-Webhook-Signature",
                        "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=")
                .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
                .post("/webhooks/sendgrid")
                .then()
                .statusCode(403);
        postSendGridEvents(body, clock.instant().minus(Duration.ofMinutes(11)))
                .then()
                .statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("replay"));

        assertThat(storedEvents()).isEqualTo(before);
        postSendGridEvents(body, clock.instant().minus(Duration.ofMinutes(9)))
                .then()
                .statusCode(200);
        assertThat(storedEvents()).isEqualTo(before + 1);
    }

    @Test
    void aRedeliveredBatchIsStoredOnceAndADuplicateOpenCountsOnce() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("dup@example.com", null, null, true, false);
        sendGridAccepts("sg-dup");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());
        String deliveryId = sentEmail(journey);
        String batch = "[" + sendGridEvent("open", deliveryId, "dup@example.com", "dup-open-1", null) + ","
                + sendGridEvent("open", deliveryId, "dup@example.com", "dup-open-1", null) + "]";

        postSendGridEvents(batch)
                .then()
                .statusCode(200)
                .body("received", equalTo(2))
                .body("stored", equalTo(1))
                .body("duplicates", equalTo(1));
        postSendGridEvents(batch)
                .then()
                .statusCode(200)
                .body("stored", equalTo(0))
                .body("duplicates", equalTo(2));
        postSendGridEvents("[" + sendGridEvent("open", deliveryId, "dup@example.com", "dup-open-2", null) + "]")
                .then()
                .statusCode(200)
                .body("stored", equalTo(1));
        applyWebhookEvents();

        assertThat(journey).isEnded().hasPassed("EndEvent_Opened");
        assertThat(delivery(deliveryId)).containsEntry("opens", 2);
        assertThat(jdbc.queryForObject(
                        "select count(*) from delivery_event where delivery_id = ? and message_name is not null",
                        Integer.class,
                        deliveryId))
                .isEqualTo(1);
        // the journey was woken once, by this delivery's open
        assertThat(jdbc.queryForObject(
                        "select count(*) from act_hi_actinst where proc_inst_id_ = ? and act_id_ = ?",
                        Integer.class,
                        journey.getId(),
                        "Event_EmailOpened"))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "select text_ from act_hi_varinst where proc_inst_id_ = ? and name_ = ?",
                        String.class,
                        journey.getId(),
                        "engagedDeliveryId"))
                .isEqualTo(deliveryId);
    }

    @Test
    void onlyTheJourneysNewestEmailWakesItAnOpenOfAnOlderOneIsRecordedAsSuperseded() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("two-mails@example.com", null, null, true, false);
        sendGridAccepts("sg-older");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());
        String older = sentEmail(journey);
        // a later e-mail step of the same journey (as a second send task would record it)
        String newer = java.util.UUID.randomUUID().toString();
        jdbc.update(
                "insert into delivery (delivery_id, process_instance_id, step_key, channel, address, test, gate_decision, "
                        + "status, counted, provider, attempts, created_at, updated_at) values (?, ?, 'Task_Later#1', 'email', "
                        + "'two-mails@example.com', false, 'PASSED', 'SENT', true, 'sendgrid', 1, current_timestamp, current_timestamp)",
                newer,
                journey.getId());

        postSendGridEvents("[" + sendGridEvent("open", older, "two-mails@example.com", "older-open", null) + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();
        assertThat(journey).isWaitingAt("Gateway_Opened");
        assertThat(jdbc.queryForObject(
                        "select correlation from delivery_event where delivery_id = ?", String.class, older))
                .isEqualTo("SUPERSEDED");

        postSendGridEvents("[" + sendGridEvent("open", newer, "two-mails@example.com", "newer-open", null) + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();
        assertThat(journey).isEnded().hasPassed("EndEvent_Opened");
    }

    @Test
    void aMachineOpenIsRecordedButDoesNotWakeTheJourney() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("mpp@example.com", null, null, true, false);
        sendGridAccepts("sg-mpp");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());
        String deliveryId = sentEmail(journey);

        postSendGridEvents(
                        "[" + sendGridEvent("open", deliveryId, "mpp@example.com", "mpp-1", "\"sg_machine_open\":true")
                                + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();

        assertThat(journey).isWaitingAt("Gateway_Opened");
        assertThat(delivery(deliveryId)).containsEntry("opens", 0).containsEntry("machine_opens", 1);
    }

    @Test
    void anEventForAnUnknownMessageIsStoredAndReported() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        postSendGridEvents("[{\"email\":\"who@example.com\",\"timestamp\":1795000000,\"event\":\"delivered\","
                        + "\"sg_event_id\":\"orphan-1\",\"sg_message_id\":\"nobody-knows.filter\"}]")
                .then()
                .statusCode(200);
        applyWebhookEvents();

        as(SERVICE)
                .get("/api/provider-events?outcome=UNKNOWN_MESSAGE")
                .then()
                .statusCode(200)
                .body("find { it.eventId == 'orphan-1' }.outcome", equalTo("UNKNOWN_MESSAGE"))
                .body("find { it.eventId == 'orphan-1' }.source", equalTo("SENDGRID"));
    }

    @Test
    void bounceSpamReportUnsubscribeAndResubscribeUpdateSuppressionAndConsentForEveryCampaign() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("Spam.Reporter@Example.com", null, null, true, false);
        sendGridAccepts("sg-spam");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());
        String deliveryId = sentEmail(journey);

        postSendGridEvents("[" + sendGridEvent("spamreport", deliveryId, "spam.reporter@example.com", "spam-1", null)
                        + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();
        assertThat(jdbc.queryForObject(
                        "select reason from suppression where channel = 'email' and address = ?",
                        String.class,
                        "spam.reporter@example.com"))
                .isEqualTo("SPAM_REPORT");
        as(SERVICE)
                .get("/api/customers/{id}", customer)
                .then()
                .body("consents.email.status", equalTo("OPTED_OUT"))
                .body("consents.email.source", equalTo("sendgrid:spamreport"));

        // any later send, in any campaign, is skipped
        ProcessInstance another = startJourney("messaging-journey-test", customer, Map.of());
        runDueJobs(another.getId());
        assertThat(another).isEnded().hasPassed("EndEvent_NotDelivered");
        assertThat(deliveriesOf(another.getId()))
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsEntry("gate_decision", "SUPPRESSED")
                        .containsEntry("status", "SKIPPED"));
        assertThat(sendGridRequests()).isEqualTo(1);
    }

    @Test
    void aBounceSuppressesTheAddressAndALateDeliveredDoesNotUndoIt() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("gone@example.com", null, null, true, false);
        sendGridAccepts("sg-bounce");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());
        String deliveryId = sentEmail(journey);

        postSendGridEvents("["
                        + sendGridEvent(
                                "bounce",
                                deliveryId,
                                "gone@example.com",
                                "bounce-1",
                                "\"type\":\"bounce\",\"reason\":\"550 5.1.1 no such user\",\"status\":\"5.1.1\"")
                        + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();

        assertThat(delivery(deliveryId)).containsEntry("status", "BOUNCED");
        assertThat(jdbc.queryForObject(
                        "select reason from suppression where channel = 'email' and address = ?",
                        String.class,
                        "gone@example.com"))
                .isEqualTo("HARD_BOUNCE");
        // a late "delivered" does not move the delivery backwards
        postSendGridEvents(
                "[" + sendGridEvent("delivered", deliveryId, "gone@example.com", "late-delivered", null) + "]");
        applyWebhookEvents();
        assertThat(delivery(deliveryId)).containsEntry("status", "BOUNCED");
    }
}
