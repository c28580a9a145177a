package io.loyalflow.journey;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.journey.JourneyVariables.PARENT_JOURNEY_ID;
import static io.loyalflow.journey.JourneyVariables.REMINDER_ARM;
import static io.loyalflow.journey.JourneyVariables.SCENARIO_INSTANCE_ID;
import static io.loyalflow.journey.JourneyVariables.TIER_CHANGE;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.END_EVENT_ANSWERED;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.END_EVENT_NOT_ANSWERED;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.END_EVENT_NOT_SENT;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.EVENT_SURVEY_WAIT_OVER;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.GATEWAY_ANSWER;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.TASK_SEND_SURVEY;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_FOLLOWED_UP;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_HELD_OUT;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_NOT_UPGRADED;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_REMINDED_BY_EMAIL;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_REMINDED_BY_SMS;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_WARNED;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.EVENT_EMAIL_OPENED;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.EVENT_OPEN_WAIT_OVER;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.GATEWAY_OPENED;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_DECIDE_TIER_CHANGE;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_CONGRATULATION;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_DOWNGRADE_WARNING;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_EMAIL;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_SMS;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SPLIT_REMINDER;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_START_FOLLOW_UP;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_ID;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static io.loyalflow.segment.SegmentVariables.NEW_TIER;
import static io.loyalflow.segment.SegmentVariables.PREVIOUS_TIER;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.testsupport.CampaignEntryRuns;
import io.loyalflow.testsupport.FlowNodeCoverage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The value-segment upgrade template end to end, and its satisfaction-survey follow-up: an order
 * lifts a customer a tier, the TIER_CHANGED trigger starts the journey, SendGrid gets the
 * congratulation, a signed open webhook starts the survey, the survey waits for the customer's
 * answer; without an open, the A/B split sends the reminder by e-mail (arm A) or Twilio SMS (arm B).
 * Runs on H2 and, as a database test, on PostgreSQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ValueSegmentUpgradeJourneyTest extends MessagingIntegrationTest {

    private static final Instant NOW = Instant.parse("2026-06-01T14:00:00Z"); // morning in New York: SMS may go
    private static final String PHONE = "+12125550123";
    private static final String NEW_YORK = "America/New_York";

    private CampaignEntryRuns entryRuns() {
        return new CampaignEntryRuns(managementService, historyService);
    }

    @Autowired
    HistoryService historyService;

    @BeforeEach
    void morning() {
        clock.set(NOW);
        senderVerified(true);
    }

    /** A Silver customer: two orders of 200 in the last 12 months (Gold needs 500 and 3 orders). */
    private String silverCustomer(boolean emailConsent, boolean smsConsent, Instant firstOrders) {
        String id = newCustomer("up-" + UUID.randomUUID() + "@example.com", PHONE, NEW_YORK, emailConsent, smsConsent);
        placeOrder(id, firstOrders, "200.00");
        placeOrder(id, firstOrders.plus(Duration.ofDays(1)), "200.00");
        return id;
    }

    /** A segment of exactly these customers, refreshed: the campaign's audience. */
    private String segmentOf(List<String> customers) {
        String segment = "upgrade-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Upgrade test customers",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", customers)))
                .post("/api/segments")
                .then()
                .statusCode(201);
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        return segment;
    }

    private Map<String, Object> settings(String segment, String arms, boolean downgradeWarning) {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                TASK_SEND_CONGRATULATION.id(),
                Map.of(
                        "templateId",
                        TEMPLATE,
                        "templateData",
                        Map.of("tier", "{{var.newTier}}", "name", "{{firstName}}")));
        messages.put(TASK_SEND_REMINDER_EMAIL.id(), Map.of("templateId", "d-11111111111111111111111111111111"));
        messages.put(
                TASK_SEND_REMINDER_SMS.id(),
                Map.of("smsText", "{{firstName}}, welcome to {{var.newTier}}: see your " + "new benefits in the app"));
        messages.put(TASK_SEND_SURVEY.id(), Map.of("templateId", "d-22222222222222222222222222222222"));
        if (downgradeWarning) {
            messages.put(
                    TASK_SEND_DOWNGRADE_WARNING.id(),
                    Map.of(
                            "templateId",
                            "d-33333333333333333333333333333333",
                            "templateData",
                            Map.of("was", "{{var.previousTier}}")));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", segment));
        settings.put("trigger", Map.of("type", "TIER_CHANGED"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop Club"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("openWait", "P3D", "surveyWait", "P7D"));
        settings.put("arms", Map.of(TASK_SPLIT_REMINDER.id(), arms));
        settings.put("followUp", SatisfactionSurveyProcess.KEY);
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("options", Map.of("downgradeWarning", downgradeWarning));
        return settings;
    }

    private String activeCampaign(String segment, String arms, boolean downgradeWarning) {
        return activeCampaign(ValueSegmentUpgradeProcess.KEY, segment, arms, downgradeWarning);
    }

    private String activeCampaign(String template, String segment, String arms, boolean downgradeWarning) {
        String id = "upgrade-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Congratulate upgrades",
                        "template",
                        template,
                        "settings",
                        settings(segment, arms, downgradeWarning)))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
        return id;
    }

    private List<String> journeys(String campaign, String customerId) {
        return jdbc.queryForList(
                "select e.process_instance_id from campaign_enrollment e join customer c "
                        + "on c.customer_key = e.customer_key where e.campaign_key = ? and c.customer_id = ? "
                        + "order by e.enrollment_key",
                String.class,
                campaign,
                customerId);
    }

    private ProcessInstance onlyJourney(String campaign, String customerId) {
        List<String> started = journeys(campaign, customerId);
        assertThat(started).hasSize(1);
        ProcessInstance running = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(started.get(0))
                .singleResult();
        assertThat(running).as("journey is running").isNotNull();
        return running;
    }

    private String exitOutcome(String processInstanceId) {
        return jdbc.queryForObject(
                "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                String.class,
                processInstanceId);
    }

    private String historicVariable(String processInstanceId, String name) {
        Object value = historyService
                .createHistoricVariableInstanceQuery()
                .processInstanceId(processInstanceId)
                .variableName(name)
                .singleResult()
                .getValue();
        return value == null ? null : value.toString();
    }

    private void open(String deliveryId, String email, String eventId) {
        postSendGridEvents("[" + sendGridEvent("open", deliveryId, email, eventId, null) + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();
    }

    private String emailOf(String customerId) {
        return jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customerId);
    }

    @Test
    void anOrderThatLiftsACustomerToGoldIsCongratulatedAndAnOpenStartsTheSurvey() {
        String customer = silverCustomer(true, true, NOW.minus(Duration.ofDays(30)));
        String campaign = activeCampaign(segmentOf(List.of(customer)), "A:50, B:50", false);
        sendGridAccepts("sg-congrats");

        placeOrder(customer, NOW.minusSeconds(60), "200.00"); // the third order: 600 in 3 orders makes Gold

        ProcessInstance journey = onlyJourney(campaign, customer);
        assertThat(journey.getBusinessKey()).isEqualTo(campaign + ":" + customer);
        assertThat(variable(journey.getId(), PREVIOUS_TIER.name())).isEqualTo("Silver");
        assertThat(variable(journey.getId(), NEW_TIER.name())).isEqualTo("Gold");
        assertThat(journey).hasPassed(TASK_DECIDE_TIER_CHANGE.id()).isWaitingAt(TASK_SEND_CONGRATULATION.id());
        assertThat(variable(journey.getId(), TIER_CHANGE.name())).isEqualTo("UPGRADE");

        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(GATEWAY_OPENED.id());
        String congratulation = (String) variable(journey.getId(), DELIVERY_ID.name());
        PROVIDERS.verify(
                1,
                postRequestedFor(urlEqualTo(SENDGRID_SEND))
                        .withRequestBody(equalToJson("""
        {"from": {"email": "offers@shop.example", "name": "The Shop Club"}, "template_id": "%s",
         "personalizations": [{"dynamic_template_data": {"tier": "Gold", "name": "Ann"}}]}""".formatted(TEMPLATE), true, true)));

        sendGridAccepts("sg-survey");
        open(congratulation, emailOf(customer), "ev-open-1");
        assertThat(journey).isWaitingAt(TASK_START_FOLLOW_UP.id());
        runDueJobs(journey.getId());

        assertThat(journey)
                .isEnded()
                .hasPassed(TASK_START_FOLLOW_UP.id(), END_EVENT_FOLLOWED_UP.id())
                .hasNotPassed(TASK_SPLIT_REMINDER.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("FOLLOWED_UP");
        ProcessInstance survey = runtimeService
                .createProcessInstanceQuery()
                .processDefinitionKey(SatisfactionSurveyProcess.KEY)
                .processInstanceBusinessKey(campaign + ":" + customer)
                .singleResult();
        assertThat(survey).isNotNull();
        assertThat(historicVariable(journey.getId(), SCENARIO_INSTANCE_ID.name()))
                .isEqualTo(survey.getId());
        assertThat(variable(survey.getId(), PARENT_JOURNEY_ID.name())).isEqualTo(journey.getId());

        runDueJobs(survey.getId());
        assertThat(survey).isWaitingAt(GATEWAY_ANSWER.id());
        PROVIDERS.verify(
                1,
                postRequestedFor(urlEqualTo(SENDGRID_SEND))
                        .withRequestBody(
                                equalToJson("{\"template_id\": \"d-22222222222222222222222222222222\"}", true, true)));

        as(SERVICE)
                .body(Map.of("eventId", "survey-77", "type", "SurveyAnswered", "data", Map.of("score", 9)))
                .post("/api/customers/{id}/events", customer)
                .then()
                .statusCode(201)
                .body("message", equalTo(SatisfactionSurveyProcess.Message.SURVEY_ANSWERED.messageName()))
                .body("wokeJourneys", equalTo(List.of(survey.getId())));
        assertThat(survey).isEnded().hasPassed(END_EVENT_ANSWERED.id());
        // the same event again (a retry): the first answer, and nothing moves
        as(SERVICE)
                .body(Map.of("eventId", "survey-77", "type", "SurveyAnswered"))
                .post("/api/customers/{id}/events", customer)
                .then()
                .statusCode(200)
                .body("wokeJourneys", equalTo(List.of(survey.getId())));
        assertThat(sendGridRequests()).isEqualTo(2);
        assertThat(twilioRequests()).isZero();
    }

    @Test
    void notOpenedWithinTheWaitArmBGetsTheReminderByTwilioSms() {
        String customer = silverCustomer(true, true, NOW.minus(Duration.ofDays(30)));
        String campaign = activeCampaign(segmentOf(List.of(customer)), "A:0, B:100", false);
        sendGridAccepts("sg-congrats");
        twilioAccepts("SM" + "b".repeat(32));
        placeOrder(customer, NOW.minusSeconds(60), "200.00");
        ProcessInstance journey = onlyJourney(campaign, customer);
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(GATEWAY_OPENED.id());

        clock.set(NOW.plus(Duration.ofDays(3)).plusSeconds(1));
        runDueJobs(journey.getId());

        assertThat(journey)
                .isEnded()
                .hasPassed(TASK_SPLIT_REMINDER.id(), TASK_SEND_REMINDER_SMS.id(), END_EVENT_REMINDED_BY_SMS.id())
                .hasNotPassed(TASK_START_FOLLOW_UP.id(), TASK_SEND_REMINDER_EMAIL.id());
        assertThat(historicVariable(journey.getId(), REMINDER_ARM.name())).isEqualTo("B");
        assertThat(exitOutcome(journey.getId())).isEqualTo("REMINDED_BY_SMS");
        PROVIDERS.verify(
                1,
                postRequestedFor(urlEqualTo(TWILIO_SEND))
                        .withRequestBody(WireMock.containing("Body=Ann%2C+welcome+to+Gold")));
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "select arm from experiment_assignment where process_instance_id = ?",
                        String.class,
                        journey.getId()))
                .isEqualTo("B");
    }

    @Test
    void notOpenedWithinTheWaitArmAGetsTheReminderByEmail() {
        String customer = silverCustomer(true, true, NOW.minus(Duration.ofDays(30)));
        String campaign = activeCampaign(segmentOf(List.of(customer)), "A:100, B:0", false);
        sendGridAccepts("sg-any");
        placeOrder(customer, NOW.minusSeconds(60), "200.00");
        ProcessInstance journey = onlyJourney(campaign, customer);
        runDueJobs(journey.getId());

        clock.set(NOW.plus(Duration.ofDays(3)).plusSeconds(1));
        runDueJobs(journey.getId());

        assertThat(journey)
                .isEnded()
                .hasPassed(TASK_SEND_REMINDER_EMAIL.id(), END_EVENT_REMINDED_BY_EMAIL.id())
                .hasNotPassed(TASK_SEND_REMINDER_SMS.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("REMINDED_BY_EMAIL");
        PROVIDERS.verify(
                1,
                postRequestedFor(urlEqualTo(SENDGRID_SEND))
                        .withRequestBody(
                                equalToJson("{\"template_id\": \"d-11111111111111111111111111111111\"}", true, true)));
        assertThat(twilioRequests()).isZero();
    }

    @Test
    void theControlArmIsHeldOutAndSentNoReminder() {
        String customer = silverCustomer(true, true, NOW.minus(Duration.ofDays(30)));
        String segment = segmentOf(List.of(customer));
        // a third arm without a branch of its own is refused; the control arm, a third arm with one, is not
        String refused = "upgrade-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id",
                        refused,
                        "name",
                        "Third arm",
                        "template",
                        ValueSegmentUpgradeProcess.KEY,
                        "settings",
                        settings(segment, "A:40, B:40, C:20", false)))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", refused)
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("settings.arms.Task_SplitReminder"))
                .body("errors.message", hasItem(containsString("has no branch for arm C")));
        String campaign = activeCampaign(segment, "A:0, B:0, CONTROL:100", false);
        sendGridAccepts("sg-congrats");
        twilioAccepts("SM" + "f".repeat(32));
        placeOrder(customer, NOW.minusSeconds(60), "200.00");
        ProcessInstance journey = onlyJourney(campaign, customer);
        runDueJobs(journey.getId());

        clock.set(NOW.plus(Duration.ofDays(3)).plusSeconds(1));
        runDueJobs(journey.getId());

        assertThat(journey)
                .isEnded()
                .hasPassed(TASK_SPLIT_REMINDER.id(), END_EVENT_HELD_OUT.id())
                .hasNotPassed(TASK_SEND_REMINDER_EMAIL.id(), TASK_SEND_REMINDER_SMS.id());
        assertThat(historicVariable(journey.getId(), REMINDER_ARM.name())).isEqualTo("CONTROL");
        assertThat(exitOutcome(journey.getId())).isEqualTo("HELD_OUT");
        assertThat(sendGridRequests()).as("the congratulation only").isEqualTo(1);
        assertThat(twilioRequests()).isZero();
        assertThat(deliveriesOf(journey.getId())).hasSize(1);
        // the split is the campaign's experiment, with CONTROL as its control arm
        as(ANALYST)
                .get("/api/campaigns/{id}/experiments", campaign)
                .then()
                .statusCode(200)
                .body("[0].experimentKey", equalTo(campaign + ":reminder-channel"))
                .body("[0].stepId", equalTo(TASK_SPLIT_REMINDER.id()))
                .body("[0].controlArm", equalTo("CONTROL"))
                .body("[0].arms.arm", org.hamcrest.Matchers.contains("A", "B", "CONTROL"));
    }

    @Test
    void aCongratulationThatCannotGoOutLeadsStraightToTheReminderSplit() {
        String customer = silverCustomer(false, true, NOW.minus(Duration.ofDays(30)));
        String campaign = activeCampaign(segmentOf(List.of(customer)), "A:0, B:100", false);
        twilioAccepts("SM" + "c".repeat(32));
        placeOrder(customer, NOW.minusSeconds(60), "200.00");
        ProcessInstance journey = onlyJourney(campaign, customer);

        runDueJobs(journey.getId());

        assertThat(journey)
                .isEnded()
                .hasPassed(TASK_SEND_CONGRATULATION.id(), TASK_SEND_REMINDER_SMS.id())
                .hasNotPassed(EVENT_OPEN_WAIT_OVER.id(), EVENT_EMAIL_OPENED.id());
        assertThat(sendGridRequests()).isZero();
        assertThat(twilioRequests()).isEqualTo(1);
        assertThat(deliveriesOf(journey.getId()))
                .extracting(d -> d.get("channel") + ":" + d.get("gate_decision"))
                .containsExactlyInAnyOrder("email:NO_CONSENT", "sms:PASSED");
    }

    @Test
    void aFirstTierIsNoUpgradeAndADropIsWarnedOnlyWithTheOption() {
        Instant longAgo = NOW.minus(Duration.ofDays(300));
        String warned = silverCustomer(true, false, longAgo);
        String unwarned = silverCustomer(true, false, longAgo);
        String newcomer = "c-new-" + UUID.randomUUID(); // signs up after the campaign starts
        String segment = segmentOf(List.of(warned, unwarned, newcomer));
        String withWarning = activeCampaign(segment, "A:50, B:50", true);
        String withoutWarning = activeCampaign(segment, "A:50, B:50", false);
        sendGridAccepts("sg-warning");

        clock.set(NOW.plus(Duration.ofDays(70))); // the orders leave the 12-month window: Silver drops to Bronze
        // a customer who signed up meanwhile gets a first tier (Bronze) at the refresh: NEW
        as(SERVICE)
                .body(Map.of("email", "newcomer@example.com", "timeZone", NEW_YORK))
                .put("/api/customers/{id}", newcomer)
                .then()
                .statusCode(201);
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        entryRuns().fire();

        for (String campaign : List.of(withWarning, withoutWarning)) {
            // a first tier is where a customer starts, not a change: no journey, recorded as such
            assertThat(journeys(campaign, newcomer)).isEmpty();
            assertThat(jdbc.queryForList(
                            "select t.outcome from campaign_trigger t join segment_event e on e.event_key = "
                                    + "t.event_key join customer c on c.customer_key = e.customer_key where t.campaign_key = ? "
                                    + "and c.customer_id = ?",
                            String.class,
                            campaign,
                            newcomer))
                    .containsExactly("FIRST_TIER");
        }
        ProcessInstance warning = onlyJourney(withWarning, warned);
        assertThat(variable(warning.getId(), TIER_CHANGE.name())).isEqualTo("DOWNGRADE");
        runDueJobs(warning.getId());
        assertThat(warning).isEnded().hasPassed(TASK_SEND_DOWNGRADE_WARNING.id(), END_EVENT_WARNED.id());
        PROVIDERS.verify(
                1,
                postRequestedFor(urlEqualTo(SENDGRID_SEND))
                        .withRequestBody(equalToJson(
                                "{\"template_id\": \"d-33333333333333333333333333333333\", \"personalizations\": [{\"dynamic_template_data\": "
                                        + "{\"was\": \"Silver\"}}]}",
                                true,
                                true)));

        String silent = journeys(withoutWarning, unwarned).get(0);
        assertThat(exitOutcome(silent)).isEqualTo("NOT_UPGRADED");
        HistoricProcessInstance ended = historyService
                .createHistoricProcessInstanceQuery()
                .processInstanceId(silent)
                .singleResult();
        assertThat(ended.getEndActivityId()).isEqualTo(END_EVENT_NOT_UPGRADED.id());
        assertThat(historyService
                        .createHistoricActivityInstanceQuery()
                        .processInstanceId(silent)
                        .activityId(TASK_SEND_DOWNGRADE_WARNING.id())
                        .count())
                .isZero();
    }

    @Test
    void anAnsweredSurveyMissingTheWaitEndsUnansweredAndOneThatCannotGoOutEndsAtOnce() {
        String customer = silverCustomer(true, false, NOW.minus(Duration.ofDays(30)));
        String other = silverCustomer(true, false, NOW.minus(Duration.ofDays(30)));
        String campaign = activeCampaign(segmentOf(List.of(customer, other)), "A:50, B:50", false);
        sendGridAccepts("sg-any");
        placeOrder(customer, NOW.minusSeconds(60), "200.00");
        placeOrder(other, NOW.minusSeconds(60), "200.00");
        ProcessInstance first = onlyJourney(campaign, customer);
        ProcessInstance second = onlyJourney(campaign, other);
        runDueJobs(first.getId());
        runDueJobs(second.getId());
        open((String) variable(first.getId(), DELIVERY_ID.name()), emailOf(customer), "ev-open-a");
        open((String) variable(second.getId(), DELIVERY_ID.name()), emailOf(other), "ev-open-b");
        runDueJobs(first.getId());
        runDueJobs(second.getId());
        ProcessInstance unanswered = survey(campaign, customer);
        ProcessInstance unsent = survey(campaign, other);

        runDueJobs(unanswered.getId());
        clock.set(NOW.plus(Duration.ofDays(7)).plusSeconds(1));
        runDueJobs(unanswered.getId());
        assertThat(unanswered).isEnded().hasPassed(END_EVENT_NOT_ANSWERED.id()).hasNotPassed(END_EVENT_ANSWERED.id());

        // the customer unsubscribed from e-mail between the open and the survey
        as(SERVICE)
                .body(Map.of(
                        "consents",
                        Map.of(
                                "email",
                                Map.of(
                                        "status",
                                        "OPTED_OUT",
                                        "source",
                                        "preference-center",
                                        "statedAt",
                                        clock.instant().toString()))))
                .put("/api/customers/{id}", other)
                .then()
                .statusCode(200);
        runDueJobs(unsent.getId());
        assertThat(unsent).isEnded().hasPassed(END_EVENT_NOT_SENT.id()).hasNotPassed(EVENT_SURVEY_WAIT_OVER.id());
        assertThat(historicVariable(unsent.getId(), DELIVERY_OUTCOME.name())).isEqualTo("SKIPPED");

        // an event nobody waits for is kept, and wakes nobody
        as(SERVICE)
                .body(Map.of("type", "SurveyAnswered"))
                .post("/api/customers/{id}/events", other)
                .then()
                .statusCode(201)
                .body("wokeJourneys", empty());
    }

    private ProcessInstance survey(String campaign, String customer) {
        ProcessInstance survey = runtimeService
                .createProcessInstanceQuery()
                .processDefinitionKey(SatisfactionSurveyProcess.KEY)
                .processInstanceBusinessKey(campaign + ":" + customer)
                .singleResult();
        assertThat(survey).isNotNull();
        return survey;
    }

    @Test
    void aTestSendOfTheCampaignCoversTheFollowUpScenarioMessages() {
        String id = "upgrade-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Congratulate upgrades",
                        "template",
                        ValueSegmentUpgradeProcess.KEY,
                        "settings",
                        settings("tier-gold", "A:50, B:50", false)))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        sendGridAccepts("sg-test");
        twilioAccepts("SM" + "d".repeat(32));

        as(ANALYST)
                .body(Map.of("email", ANALYST.email, "phone", ANALYST.phone))
                .post("/api/campaigns/{id}/test-send", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .body(
                        "steps.step",
                        equalTo(List.of(
                                TASK_SEND_CONGRATULATION.id(),
                                TASK_SEND_REMINDER_EMAIL.id(),
                                TASK_SEND_DOWNGRADE_WARNING.id(),
                                TASK_SEND_SURVEY.id(),
                                TASK_SEND_REMINDER_SMS.id())))
                .body(
                        "steps.find { it.step == 'Task_SendDowngradeWarning' }.skipped",
                        org.hamcrest.Matchers.notNullValue())
                .body("steps.find { it.step == 'Task_SendSurvey' }.status", equalTo("SENT"))
                // a test send has no journey, so {{var.newTier}} (no fallback) cannot be filled: that step says so
                .body(
                        "steps.find { it.step == 'Task_SendCongratulation' }.error",
                        org.hamcrest.Matchers.containsString("var.newTier"))
                .body(
                        "steps.find { it.step == 'Task_SendReminderSms' }.error",
                        org.hamcrest.Matchers.containsString("var.newTier"));
        assertThat(sendGridRequests()).isEqualTo(2);
        assertThat(twilioRequests()).isZero();
    }

    @Test
    void customerEventsAreValidatedAndNeedAKnownCustomer() {
        String customer = newCustomer("ev-" + UUID.randomUUID() + "@example.com", null, NEW_YORK, true, false);
        as(SERVICE)
                .body(Map.of("type", "survey answered", "occurredAt", "2030-01-01T00:00:00Z", "data", List.of(1)))
                .post("/api/customers/{id}/events", customer)
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("type"))
                .body("errors.field", hasItem("occurredAt"))
                .body("errors.field", hasItem("data"));
        as(SERVICE)
                .body(Map.of("type", "SurveyAnswered"))
                .post("/api/customers/{id}/events", "no-such-customer")
                .then()
                .statusCode(404);
        as(ANALYST)
                .body(Map.of("type", "SurveyAnswered"))
                .post("/api/customers/{id}/events", customer)
                .then()
                .statusCode(403);
        assertThat(jdbc.queryForObject(
                        "select count(*) from customer_event e join customer c "
                                + "on c.customer_key = e.customer_key where c.customer_id = ?",
                        Integer.class,
                        customer))
                .isZero();
    }

    @Test
    void anArmWithoutABranchOfItsOwnGetsNoOtherArmsReminder() {
        String customer = silverCustomer(true, true, NOW.minus(Duration.ofDays(30)));
        String segment = segmentOf(List.of(customer));
        // weights naming an arm the template has no branch for (C) cannot be activated
        String refused = "upgrade-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id",
                        refused,
                        "name",
                        "Unknown arm",
                        "template",
                        ValueSegmentUpgradeProcess.KEY,
                        "settings",
                        settings(segment, "A:0, C:100", false)))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", refused)
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("settings.arms.Task_SplitReminder"));

        // An analyst deploys a version of the template whose SMS branch is for an arm named SMS after the campaign
        // (weights A and B) was activated. A copy under a process key of its own, so other tests keep the shipped one.
        String template =
                "value-segment-upgrade-" + UUID.randomUUID().toString().substring(0, 8);
        BpmnModelInstance model = Bpmn.readModelFromFile(
                Path.of("bpmn", "value-segment-upgrade.bpmn").toFile());
        model.<Process>getModelElementById(ValueSegmentUpgradeProcess.KEY).setId(template);
        deploy(template, model);
        String campaign = activeCampaign(template, segment, "A:0, B:100", false);
        SequenceFlow toSms = model.getModelElementsByType(SequenceFlow.class).stream()
                .filter(flow -> flow.getTarget().getId().equals(TASK_SEND_REMINDER_SMS.id()))
                .findFirst()
                .orElseThrow();
        ExclusiveGateway gateway = (ExclusiveGateway) toSms.getSource();
        if (toSms.equals(gateway.getDefault())) {
            gateway.setDefault(null);
        }
        ConditionExpression sms = model.newInstance(ConditionExpression.class);
        sms.setTextContent("${reminderArm == 'SMS'}");
        toSms.setConditionExpression(sms);
        deploy(template, model);

        sendGridAccepts("sg-congrats");
        twilioAccepts("SM" + "e".repeat(32));
        placeOrder(customer, NOW.minusSeconds(60), "200.00");
        ProcessInstance journey = onlyJourney(campaign, customer);
        runDueJobs(journey.getId());
        clock.set(NOW.plus(Duration.ofDays(3)).plusSeconds(1));
        managementService.executeJob(onlyJob(journey.getId()).getId()); // the open wait ends; the split's job is next

        String incident = runUntilIncident(journey.getId());
        assertThat(incident)
                .contains("A/B split 'Choose the reminder channel (A/B)': arm 'B' has no branch after the "
                        + "gateway 'Arm?' (Gateway_ReminderArm), which routes only A, SMS, CONTROL");
        assertThat(journey)
                .isWaitingAt(TASK_SPLIT_REMINDER.id())
                .hasNotPassed(TASK_SEND_REMINDER_SMS.id(), TASK_SEND_REMINDER_EMAIL.id());
        assertThat(twilioRequests()).isZero();
        assertThat(sendGridRequests()).isEqualTo(1); // the congratulation only
        assertThat(jdbc.queryForObject(
                        "select count(*) from experiment_assignment where process_instance_id = ?",
                        Integer.class,
                        journey.getId()))
                .isZero();
    }

    private void deploy(String template, BpmnModelInstance model) {
        repositoryService
                .createDeployment()
                .name(template)
                .addModelInstance(template + ".bpmn", model)
                .deploy();
    }

    /** Runs the journey's one job through its retries until it becomes an incident: the incident's message. */
    private String runUntilIncident(String processInstanceId) {
        for (int attempt = 0;
                runtimeService
                                .createIncidentQuery()
                                .processInstanceId(processInstanceId)
                                .count()
                        == 0;
                attempt++) {
            assertThat(attempt).as("attempts before the incident").isLessThan(10);
            var job = onlyJob(processInstanceId);
            if (job.getDuedate() != null && job.getDuedate().toInstant().isAfter(clock.instant())) {
                clock.set(job.getDuedate().toInstant().plusSeconds(1));
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> managementService.executeJob(job.getId()));
        }
        return runtimeService
                .createIncidentQuery()
                .processInstanceId(processInstanceId)
                .singleResult()
                .getIncidentMessage();
    }

    /** Runs after the others: every step of the template ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheTemplateRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(historyService, repositoryService, ValueSegmentUpgradeProcess.KEY);
        FlowNodeCoverage.assertEveryFlowNodeRan(historyService, repositoryService, SatisfactionSurveyProcess.KEY);
    }
}
