package io.loyalflow.messaging;

import static io.loyalflow.messaging.MessagingVariables.DELIVERY_ID;
import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/** The gate for e-mail (consent, caps across campaigns), test sends, and the deliveries API. */
class EmailGateAndDeliveriesTest extends MessagingIntegrationTest {

    private ProcessInstance journey(String customer, String campaign, String whenCapped) {
        return runtimeService.startProcessInstanceByKey(
                "messaging-journey-test",
                campaign + ":" + customer,
                Map.of(CUSTOMER_ID.name(), customer, "discountCode", "SAVE10", "emailWhenCapped", whenCapped));
    }

    @Test
    void withoutConsentNothingIsSentAndTheJourneyGoesOnWithTheSkip() {
        String customer = newCustomer("no-consent@example.com", null, null, false, false);
        sendGridAccepts("never");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());

        runDueJobs(journey.getId());

        assertThat(journey).isEnded().hasPassed("EndEvent_NotDelivered");
        assertThat(sendGridRequests()).isZero();
        assertThat(deliveriesOf(journey.getId()))
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsEntry("gate_decision", "NO_CONSENT")
                        .containsEntry("status", "SKIPPED")
                        .containsEntry("counted", false));
    }

    @Test
    void theEmailCapCountsAcrossCampaignsThenSkipsOrDefersAndFreesAfterItsWindow() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("busy-inbox@example.com", null, null, true, false);
        sendGridAccepts("sg-cap");
        for (String campaign : new String[] {"spring", "summer", "spring"}) {
            ProcessInstance journey = journey(customer, campaign, "SKIP");
            runDueJobs(journey.getId());
            assertThat(journey).isWaitingAt("Gateway_Opened");
            clock.advance(Duration.ofHours(1));
        }
        ProcessInstance skipped = journey(customer, "autumn", "SKIP");
        runDueJobs(skipped.getId());
        assertThat(skipped).isEnded().hasPassed("EndEvent_NotDelivered");
        assertThat(deliveriesOf(skipped.getId()))
                .singleElement()
                .satisfies(row ->
                        assertThat(row).containsEntry("gate_decision", "CAPPED").containsEntry("status", "SKIPPED"));

        ProcessInstance deferred = journey(customer, "winter", "DEFER");
        runDueJobs(deferred.getId());
        // the step itself waits until the cap frees up: no job, no timer, nothing for the model to handle
        assertThat(deferred).isWaitingAt("Task_SendOffer");
        assertThat(managementService
                        .createJobQuery()
                        .processInstanceId(deferred.getId())
                        .count())
                .isZero();
        Instant frees = Instant.parse("2026-06-08T10:00:00Z"); // the first of the three sends leaves the 7-day window
        assertThat(deliveriesOf(deferred.getId())).singleElement().satisfies(row -> {
            assertThat(row)
                    .containsEntry("gate_decision", "CAPPED")
                    .containsEntry("status", "DEFERRED")
                    .containsEntry("counted", false);
            assertThat(instant(row.get("retry_at"))).isEqualTo(frees);
        });
        assertThat(sendGridRequests()).isEqualTo(3);

        clock.set(frees.minusSeconds(1));
        deferredSends.resumeDue();
        assertThat(managementService
                        .createJobQuery()
                        .processInstanceId(deferred.getId())
                        .count())
                .isZero();
        clock.set(frees.plusSeconds(1));
        assertThat(deferredSends.resumeDue().resumed()).isPositive();
        runDueJobs(deferred.getId());
        assertThat(deferred).isWaitingAt("Gateway_Opened");
        assertThat(sendGridRequests()).isEqualTo(4);
        assertThat(deliveriesOf(deferred.getId())).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("status", "SENT").containsEntry("counted", true);
            assertThat(instant(row.get("sent_at"))).isEqualTo(frees.plusSeconds(1));
        });

        // the deferred e-mail counts toward the cap from when it went out, not from its first try on 1 June
        clock.set(Instant.parse("2026-06-08T13:30:00Z"));
        for (String outcome : new String[] {"SENT", "SENT", "SKIPPED"}) {
            ProcessInstance later = journey(customer, "later", "SKIP");
            runDueJobs(later.getId());
            assertThat(deliveriesOf(later.getId()))
                    .singleElement()
                    .satisfies(row -> assertThat(row.get("status"))
                            .as("after the deferred one")
                            .isEqualTo(outcome));
            clock.advance(Duration.ofMinutes(1));
        }
    }

    /** A timestamp column as the driver hands it over (H2: OffsetDateTime, PostgreSQL: Timestamp). */
    private static Instant instant(Object value) {
        return value instanceof java.time.OffsetDateTime time
                ? time.toInstant()
                : ((java.sql.Timestamp) value).toInstant();
    }

    @Test
    void aTestSendReachesTheAnalystOutsideCapsAndConsentButNeverASuppressedAddress() {
        sendGridAccepts("sg-test-send");
        as(ANALYST)
                .body(Map.of(
                        "channel",
                        "email",
                        "to",
                        ANALYST.email,
                        "templateId",
                        TEMPLATE,
                        "templateData",
                        Map.of("greeting", "Hi {{firstName|there}}"),
                        "category",
                        "summer-offer"))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(201)
                .body("gateDecision", equalTo("PASSED_TEST"))
                .body("status", equalTo("SENT"));
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(PROVIDERS.getAllServeEvents().get(0).getRequest().getBodyAsString())
                .contains("\"greeting\":\"Hi there\"")
                .contains("\"loyalflow_test\":\"true\"");

        jdbc.update("insert into suppression (channel, address, reason, source, created_at) values "
                + "('email', 'bounced-analyst@shop.com', 'HARD_BOUNCE', 'test', current_timestamp)");
        as(SERVICE)
                .body(Map.of("channel", "email", "to", "Bounced-Analyst@shop.com", "templateId", TEMPLATE))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(201)
                .body("gateDecision", equalTo("SUPPRESSED"))
                .body("status", equalTo("SKIPPED"));
        assertThat(sendGridRequests()).isEqualTo(1);

        as(ANALYST)
                .body(Map.of("channel", "sms", "to", "not a phone", "smsText", "Hi {{fistName}}"))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("to"))
                .body("errors.field", hasItem("smsText"));
        as(ANALYST)
                .body(Map.of("channel", "sms", "to", "+12125550199", "smsText", "Code {{var.discountCode}}"))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("smsText"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("{{var.discountCode|sample}}"));
        assertThat(twilioRequests()).isZero();
        as(ANALYST)
                .body(Map.of("channel", "fax", "to", "x"))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("channel"));
    }

    @Test
    void aCustomersDeliveriesShowGateDecisionStatusHistoryAndEngagementAndAreSearchable() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("story@example.com", null, null, true, false);
        sendGridAccepts("sg-story");
        ProcessInstance journey = journey(customer, "story-campaign", "SKIP");
        runDueJobs(journey.getId());
        String deliveryId = (String) variable(journey.getId(), DELIVERY_ID.name());
        postSendGridEvents("[" + sendGridEvent("delivered", deliveryId, "story@example.com", "story-1", null) + ","
                        + sendGridEvent(
                                "click",
                                deliveryId,
                                "story@example.com",
                                "story-2",
                                "\"url\":\"https://shop.com/sale\"")
                        + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();

        as(SERVICE)
                .get("/api/customers/{id}/deliveries", customer)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].deliveryId", equalTo(deliveryId))
                .body("items[0].campaign", equalTo("story-campaign"))
                .body("items[0].gateDecision", equalTo("PASSED"))
                .body("items[0].status", equalTo("DELIVERED"))
                .body("items[0].engagement.clicks", equalTo(1))
                .body("items[0].history.kind", org.hamcrest.Matchers.contains("delivered", "click"))
                .body("items[0].history[1].detail", equalTo("https://shop.com/sale"))
                .body("items[0].history[1].message", equalTo("Msg_EmailClicked"))
                .body("nextAfter", nullValue());

        // deliveries hold addresses and texts: personal data, like profiles
        as(ANALYST).get("/api/deliveries?campaign=story-campaign").then().statusCode(403);
        as(ANALYST).get("/api/provider-events").then().statusCode(403);
        as(SERVICE)
                .get("/api/deliveries?campaign=story-campaign&status=delivered")
                .then()
                .statusCode(200)
                .body("items.deliveryId", org.hamcrest.Matchers.contains(deliveryId));
        as(SERVICE)
                .get("/api/deliveries?status=LOST")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("status"));
        as(SERVICE).get("/api/deliveries?limit=0").then().statusCode(422);
        as(SERVICE)
                .get("/api/deliveries/{id}", deliveryId)
                .then()
                .statusCode(200)
                .body("status", equalTo("DELIVERED"));
        as(SERVICE).get("/api/deliveries/{id}", "no-such-delivery").then().statusCode(404);
    }
}
