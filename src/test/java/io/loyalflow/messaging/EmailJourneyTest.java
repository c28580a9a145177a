package io.loyalflow.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_ID;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Instant;
import java.util.Map;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/** An e-mail step end to end: the exact SendGrid request, the outbox row, the open that wakes the journey. */
class EmailJourneyTest extends MessagingIntegrationTest {

    @Test
    void sendsTheTemplateWithDynamicDataCustomArgsAndOneClickUnsubscribeThenAnOpenWakesTheJourney() {
        clock.set(Instant.parse("2026-06-01T14:00:00Z")); // 10:00 in New York: inside the e-mail window
        String customer = newCustomer("Ann.Lee@Example.com", "+14155550100", "America/New_York", true, true);
        sendGridAccepts("sg-abc123");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());

        runDueJobs(journey.getId());

        assertThat(journey).isWaitingAt("Gateway_Opened");
        String deliveryId = (String) variable(journey.getId(), DELIVERY_ID.name());
        assertThat(variable(journey.getId(), DELIVERY_OUTCOME.name())).isEqualTo("SENT");
        PROVIDERS.verify(
                1,
                postRequestedFor(urlEqualTo(SENDGRID_SEND))
                        .withHeader("Authorization", equalTo("Bearer SG.test-key"))
                        .withRequestBody(
                                equalToJson("""
            {
              "from": {"email": "offers@shop.example", "name": "The Shop"},
              "template_id": "%s",
              "categories": ["summer-offer"],
              "asm": {"group_id": 42, "groups_to_display": [42]},
              "personalizations": [{
                "to": [{"email": "Ann.Lee@example.com", "name": "Ann Lee"}],
                "dynamic_template_data": {"greeting": "Hi Ann", "code": "SAVE10", "items": [1, 2],
                                          "unsubscribe_url": "${json-unit.regex}https://loyalflow\\\\.example\\\\.com/unsubscribe/[A-Za-z0-9_-]{40}"},
                "custom_args": {"loyalflow_delivery_id": "%s", "loyalflow_process_instance_id": "%s"}
              }],
              "headers": {"List-Unsubscribe": "${json-unit.regex}<https://loyalflow\\\\.example\\\\.com/unsubscribe/[A-Za-z0-9_-]{40}>",
                          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
            }""".formatted(TEMPLATE, deliveryId, journey.getId()), true, true)));
        Map<String, Object> row = delivery(deliveryId);
        assertThat(row)
                .containsEntry("status", "SENT")
                .containsEntry("provider", "sendgrid")
                .containsEntry("provider_message_id", "sg-abc123")
                .containsEntry("gate_decision", "PASSED")
                .containsEntry("campaign", "summer-offer")
                .containsEntry("channel", "email")
                .containsEntry("step_key", "Task_SendOffer#1");

        postSendGridEvents("[" + sendGridEvent("delivered", deliveryId, "ann.lee@example.com", "ev-1", null) + ","
                        + sendGridEvent("open", deliveryId, "ann.lee@example.com", "ev-2", "\"useragent\":\"Mozilla\"")
                        + "]")
                .then()
                .statusCode(200);
        assertThat(journey).isWaitingAt("Gateway_Opened"); // stored, not applied yet
        assertThat(applyWebhookEvents()).isEqualTo(2);

        assertThat(journey).isEnded().hasPassed("EndEvent_Opened");
        assertThat(delivery(deliveryId)).containsEntry("status", "DELIVERED").containsEntry("opens", 1);
    }

    @Test
    void anOpenThatArrivesBeforeTheJourneyWaitsCountsWhenItGetsThere() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("early@example.com", null, "Europe/Paris", true, false);
        sendGridAccepts("sg-early");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());
        Job send = onlyJob(journey.getId());
        managementService.executeJob(send.getId()); // sent; the journey now sits before its wait (async after)
        String deliveryId = (String) variable(journey.getId(), DELIVERY_ID.name());

        postSendGridEvents("[" + sendGridEvent("open", deliveryId, "early@example.com", "early-open", null) + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();
        assertThat(jdbc.queryForObject(
                        "select correlation from delivery_event where delivery_id = ?", String.class, deliveryId))
                .isEqualTo("WAITING");

        runDueJobs(journey.getId()); // reaches the wait: the recorded open is delivered after that commit
        assertThat(journey).isEnded().hasPassed("EndEvent_Opened");
        assertThat(jdbc.queryForObject(
                        "select correlation from delivery_event where delivery_id = ?", String.class, deliveryId))
                .isEqualTo("DONE");
    }

    @Test
    void aJobThatFailsAfterTheProviderTookTheMessageIsRetriedWithoutSendingAgain() {
        clock.set(Instant.parse("2026-06-01T14:00:00Z")); // inside the e-mail window in UTC, the customer's zone
        String customer = newCustomer("crash@example.com", null, null, true, false);
        sendGridAccepts("sg-crash");
        crashSwitch.on();
        ProcessInstance journey =
                runtimeService.startProcessInstanceByKey("send-then-fail-test", Map.of(CUSTOMER_ID.name(), customer));
        Job job = onlyJob(journey.getId());

        assertThatThrownBy(() -> managementService.executeJob(job.getId())).hasMessageContaining("simulated crash");
        assertThat(sendGridRequests()).isEqualTo(1);
        crashSwitch.off();
        managementService.executeJob(job.getId());

        assertThat(journey).isEnded();
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(deliveriesOf(journey.getId()))
                .singleElement()
                .satisfies(
                        row -> assertThat(row).containsEntry("status", "SENT").containsEntry("attempts", 1));
    }
}
