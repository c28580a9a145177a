package io.loyalflow.journey;

import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.END_EVENT_ANSWERED;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.GATEWAY_ANSWER;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.TASK_SEND_SURVEY;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_CONGRATULATION;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_EMAIL;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_SMS;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SPLIT_REMINDER;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_ID;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.messaging.MessagingIntegrationTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A customer event that arrives while no journey waits for it is kept, and delivered when one of
 * the customer's journeys, or a follow-up scenario it started, reaches a wait for it: here the
 * satisfaction survey that value-segment-upgrade starts after an open, waiting for
 * {@code Msg_SurveyAnswered}. Within the maximum age (7 days), never from before the scenario
 * started, each event at most once.
 */
class CustomerEventCatchUpTest extends MessagingIntegrationTest {

    private static final Instant NOW = Instant.parse("2026-06-01T14:00:00Z");

    @BeforeEach
    void morning() {
        clock.set(NOW);
        senderVerified(true);
        sendGridAccepts("sg-" + UUID.randomUUID());
    }

    private void order(String customerId, Instant placedAt, String amount) {
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + UUID.randomUUID(),
                        "customerId",
                        customerId,
                        "placedAt",
                        placedAt.toString(),
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

    /**
     * A Silver customer lifted to Gold by an order, congratulated, who opened the e-mail: the survey
     * scenario has started and has not sent its e-mail yet, so it does not wait for an answer yet.
     */
    private Survey startedSurvey() {
        String customer =
                newCustomer("ce-" + UUID.randomUUID() + "@example.com", null, "America/New_York", true, false);
        order(customer, NOW.minus(Duration.ofDays(30)), "200.00");
        order(customer, NOW.minus(Duration.ofDays(29)), "200.00");
        String segment = "catch-up-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Catch-up customers",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", List.of(customer))))
                .post("/api/segments")
                .then()
                .statusCode(201);
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", segment));
        settings.put("trigger", Map.of("type", "TIER_CHANGED"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop Club"));
        settings.put(
                "messages",
                Map.of(
                        TASK_SEND_CONGRATULATION.id(), Map.of("templateId", TEMPLATE),
                        TASK_SEND_REMINDER_EMAIL.id(), Map.of("templateId", "d-11111111111111111111111111111111"),
                        TASK_SEND_REMINDER_SMS.id(), Map.of("smsText", "Welcome to your new tier"),
                        TASK_SEND_SURVEY.id(), Map.of("templateId", "d-22222222222222222222222222222222")));
        settings.put("waits", Map.of("openWait", "P3D", "surveyWait", "P7D"));
        settings.put("arms", Map.of(TASK_SPLIT_REMINDER.id(), "A:50, B:50"));
        settings.put("followUp", SatisfactionSurveyProcess.KEY);
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("options", Map.of("downgradeWarning", false));
        String campaign = "catch-up-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id",
                        campaign,
                        "name",
                        "Congratulate upgrades",
                        "template",
                        ValueSegmentUpgradeProcess.KEY,
                        "settings",
                        settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST).post("/api/campaigns/{id}/activate", campaign).then().statusCode(200);

        order(customer, NOW.minusSeconds(60), "200.00"); // 600 in 3 orders: Gold, and the journey enters
        String journey = jdbc.queryForObject(
                "select e.process_instance_id from campaign_enrollment e join customer c "
                        + "on c.customer_key = e.customer_key where e.campaign_key = ? and c.customer_id = ?",
                String.class,
                campaign,
                customer);
        runDueJobs(journey);
        String email = jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customer);
        postSendGridEvents("["
                        + sendGridEvent(
                                "open",
                                (String) variable(journey, DELIVERY_ID.name()),
                                email,
                                "ev-" + UUID.randomUUID(),
                                null)
                        + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();
        runDueJobs(journey);
        ProcessInstance survey = runtimeService
                .createProcessInstanceQuery()
                .processDefinitionKey(SatisfactionSurveyProcess.KEY)
                .processInstanceBusinessKey(campaign + ":" + customer)
                .singleResult();
        assertThat(survey).isNotNull().isWaitingAt(TASK_SEND_SURVEY.id());
        return new Survey(customer, survey);
    }

    private record Survey(String customerId, ProcessInstance instance) {}

    private String woke(String customerId, String eventId) {
        return jdbc.queryForObject(
                "select e.woke from customer_event e join customer c on c.customer_key = e.customer_key "
                        + "where c.customer_id = ? and e.event_id = ?",
                String.class,
                customerId,
                eventId);
    }

    private void answer(String customerId, String eventId, Instant occurredAt) {
        as(SERVICE)
                .body(Map.of(
                        "eventId",
                        eventId,
                        "type",
                        "SurveyAnswered",
                        "occurredAt",
                        occurredAt.toString(),
                        "data",
                        Map.of("score", 9)))
                .post("/api/customers/{id}/events", customerId)
                .then()
                .statusCode(201)
                .body("wokeJourneys", empty());
    }

    @Test
    void anEventBeforeTheWaitIsDeliveredWhenTheScenarioReachesItAndARepeatWakesNobodyTwice() {
        Survey survey = startedSurvey();
        clock.set(NOW.plus(Duration.ofHours(1)));
        answer(survey.customerId(), "survey-early", clock.instant());
        assertThat(woke(survey.customerId(), "survey-early")).isEmpty();

        clock.set(NOW.plus(Duration.ofHours(2)));
        runDueJobs(survey.instance().getId()); // sends the survey, then waits for the answer
        durableEvents.awaitCompletion();

        assertThat(survey.instance()).isEnded().hasPassed(END_EVENT_ANSWERED.id());
        assertThat(processEngine
                        .getHistoryService()
                        .createHistoricVariableInstanceQuery()
                        .processInstanceId(survey.instance().getId())
                        .variableName(JourneyVariables.CUSTOMER_EVENT_ID.name())
                        .singleResult()
                        .getValue())
                .isEqualTo("survey-early");
        assertThat(woke(survey.customerId(), "survey-early"))
                .isEqualTo(survey.instance().getId());

        // the same event again: its first answer (with the journey the catch-up woke), nothing moves
        as(SERVICE)
                .body(Map.of("eventId", "survey-early", "type", "SurveyAnswered"))
                .post("/api/customers/{id}/events", survey.customerId())
                .then()
                .statusCode(200)
                .body("wokeJourneys", equalTo(List.of(survey.instance().getId())));
        assertThat(processEngine
                        .getHistoryService()
                        .createHistoricActivityInstanceQuery()
                        .processInstanceId(survey.instance().getId())
                        .activityId(END_EVENT_ANSWERED.id())
                        .count())
                .isEqualTo(1);
    }

    @Test
    void anEventOlderThanTheMaximumAgeIsNotDelivered() {
        Survey survey = startedSurvey();
        clock.set(NOW.plus(Duration.ofHours(1)));
        answer(survey.customerId(), "survey-stale", clock.instant());

        clock.set(NOW.plus(Duration.ofDays(8))); // the survey's send step was delayed: the answer is 8 days old now
        runDueJobs(survey.instance().getId());
        durableEvents.awaitCompletion();

        assertThat(survey.instance()).isWaitingAt(GATEWAY_ANSWER.id());
        assertThat(woke(survey.customerId(), "survey-stale")).isEmpty();
    }

    @Test
    void anEventThatOccurredBeforeTheScenarioStartedDoesNotCountForIt() {
        Survey survey = startedSurvey();
        clock.set(NOW.plus(Duration.ofHours(1)));
        answer(survey.customerId(), "survey-earlier", NOW.minus(Duration.ofDays(1)));

        runDueJobs(survey.instance().getId());
        durableEvents.awaitCompletion();

        assertThat(survey.instance()).isWaitingAt(GATEWAY_ANSWER.id());
        assertThat(woke(survey.customerId(), "survey-earlier")).isEmpty();

        // an answer that comes now wakes it at once, as before
        as(SERVICE)
                .body(Map.of("eventId", "survey-now", "type", "SurveyAnswered"))
                .post("/api/customers/{id}/events", survey.customerId())
                .then()
                .statusCode(201)
                .body("wokeJourneys", equalTo(List.of(survey.instance().getId())));
        assertThat(survey.instance()).isEnded().hasPassed(END_EVENT_ANSWERED.id());
    }
}
