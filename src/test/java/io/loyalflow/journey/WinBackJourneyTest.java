package io.loyalflow.journey;

import static io.loyalflow.journey.CampaignEntryProcess.Element.END_EVENT_ENTERED;
import static io.loyalflow.journey.JourneyVariables.CHANNEL;
import static io.loyalflow.journey.WinBackProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.WinBackProcess.Element.END_EVENT_LAPSED;
import static io.loyalflow.journey.WinBackProcess.Element.END_EVENT_UNREACHABLE;
import static io.loyalflow.journey.WinBackProcess.Element.EVENT_ORDER_WAIT_OVER;
import static io.loyalflow.journey.WinBackProcess.Element.EVENT_REMINDER_WAIT_OVER;
import static io.loyalflow.journey.WinBackProcess.Element.GATEWAY_REMINDER_CHANNEL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_CHOOSE_CHANNEL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_READ_CUSTOMER;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_REMINDER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_REMINDER_SMS;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.testsupport.CampaignEntryRuns;
import io.loyalflow.testsupport.FlowNodeCoverage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The win-back template as a campaign: recurring entry from the win-back segment, the channel the
 * channel-choice table picks, the offer through SendGrid or Twilio (WireMock), the wait for an
 * order, the optional reminder, and every way out: converted, lapsed, unreachable.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WinBackJourneyTest extends MessagingIntegrationTest {

    private static final Instant NOW = Instant.parse("2026-06-01T14:00:00Z"); // morning in New York: SMS may go
    private static final String PHONE = "+12125550123";
    private static final String NEW_YORK = "America/New_York";

    CampaignEntryRuns entryRuns;

    @Autowired
    HistoryService historyService;

    @Autowired
    org.camunda.bpm.engine.ProcessEngine processEngine;

    @BeforeEach
    void morning() {
        entryRuns = new CampaignEntryRuns(managementService, historyService);
        clock.set(NOW);
        senderVerified(true);
    }

    /** A customer whose only order was 60 days ago, in the win-back segment after a refresh. */
    private String lapsingCustomer(boolean emailConsent, boolean smsConsent) {
        String id = newCustomer("wb-" + UUID.randomUUID() + "@example.com", PHONE, NEW_YORK, emailConsent, smsConsent);
        order(id, NOW.minus(Duration.ofDays(60)));
        return id;
    }

    private String order(String customerId, Instant placedAt) {
        String orderId = "o-" + UUID.randomUUID();
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        orderId,
                        "customerId",
                        customerId,
                        "placedAt",
                        placedAt.toString(),
                        "amount",
                        new BigDecimal("80.00"),
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal("80.00")))))
                .post("/api/orders")
                .then()
                .statusCode(201);
        return orderId;
    }

    private void refreshSegments() {
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
    }

    private Map<String, Object> settings(List<String> customers, boolean secondReminder, String policy) {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                TASK_SEND_OFFER_EMAIL.id(),
                Map.of("templateId", TEMPLATE, "templateData", Map.of("code", "BACK15", "name", "{{firstName}}")));
        messages.put(TASK_SEND_OFFER_SMS.id(), Map.of("smsText", "{{firstName}}, 15% off your next order: BACK15"));
        if (secondReminder) {
            messages.put(TASK_SEND_REMINDER_EMAIL.id(), Map.of("templateId", TEMPLATE));
            messages.put(TASK_SEND_REMINDER_SMS.id(), Map.of("smsText", "Last days for BACK15, {{firstName}}"));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "win-back",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", customers)));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("orderWait", "P14D", "reminderWait", "P7D"));
        settings.put("reentry", Map.of("policy", policy));
        settings.put("exitGoal", "ORDER");
        settings.put("options", Map.of("secondReminder", secondReminder));
        return settings;
    }

    private String activeCampaign(List<String> customers, boolean secondReminder, String policy) {
        String id = "win-back-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Win them back",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        settings(customers, secondReminder, policy)))
                .post("/api/campaigns")
                .then()
                .statusCode(201)
                .body("state", equalTo("DRAFT"))
                .body("revision", equalTo(1));
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
        return id;
    }

    /** The one running-or-ended journey of the customer in the campaign (latest entry). */
    private ProcessInstance journey(String campaign, String customerId) {
        String instance = jdbc.queryForObject(
                "select e.process_instance_id from campaign_enrollment e join customer c "
                        + "on c.customer_key = e.customer_key where e.campaign_key = ? and c.customer_id = ? "
                        + "order by e.enrollment_key desc fetch first 1 rows only",
                String.class,
                campaign,
                customerId);
        ProcessInstance running = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(instance)
                .singleResult();
        assertThat(running).as("journey %s is running", instance).isNotNull();
        return running;
    }

    private String exitOutcome(String processInstanceId) {
        return jdbc.queryForObject(
                "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                String.class,
                processInstanceId);
    }

    private int enrolled(String campaign) {
        return entryRuns.fire().enrolled(campaign);
    }

    @Test
    void anOrderDuringTheWaitEndsTheJourneyAsConvertedAndNothingMoreIsSent() {
        String customer = lapsingCustomer(true, false);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), true, "AFTER_EXIT");
        assertThat(enrolled(campaign)).isEqualTo(1);
        ProcessInstance journey = journey(campaign, customer);
        assertThat(journey.getBusinessKey()).isEqualTo(campaign + ":" + customer);
        assertThat(journey).isWaitingAt(TASK_READ_CUSTOMER.id());

        sendGridAccepts("sg-offer");
        runDueJobs(journey.getId());
        assertThat(journey)
                .hasPassed(TASK_CHOOSE_CHANNEL.id(), TASK_SEND_OFFER_EMAIL.id())
                .isWaitingAt(EVENT_ORDER_WAIT_OVER.id());
        assertThat(variable(journey.getId(), CHANNEL.name())).isEqualTo("EMAIL");
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(deliveriesOf(journey.getId()))
                .singleElement()
                .satisfies(d -> assertThat(d.get("campaign")).isEqualTo(campaign));

        clock.set(NOW.plus(Duration.ofDays(3)));
        order(customer, clock.instant().minusSeconds(60));
        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(END_EVENT_LAPSED.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("CONVERTED");

        clock.set(NOW.plus(Duration.ofDays(30)));
        assertThat(managementService
                        .createJobQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
        assertThat(sendGridRequests()).isEqualTo(1);
    }

    @Test
    void theCustomersJourneysExplainTheChannelDecisionWhileWaitingAndAfterTheEndAtTheJourneyHistoryLevel() {
        assertThat(engineConfiguration().getHistoryLevel().getName()).isEqualTo("journey");
        String customer = lapsingCustomer(true, true);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), false, "AFTER_EXIT");
        assertThat(enrolled(campaign)).isEqualTo(1);
        ProcessInstance journey = journey(campaign, customer);
        sendGridAccepts("sg-explained");
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(EVENT_ORDER_WAIT_OVER.id());

        // why did she get an e-mail and not an SMS: the decision's inputs and outputs, while she waits ...
        String journeyOfCampaign = "find { it.campaign == '" + campaign + "' }";
        explainsTheChannelChoice(customer, campaign)
                .body(journeyOfCampaign + ".state", equalTo("ACTIVE"))
                .body(journeyOfCampaign + ".currentSteps", hasSize(1))
                .body(journeyOfCampaign + ".messages", hasSize(1));
        // ... and once the journey has ended, from history alone
        clock.set(NOW.plus(Duration.ofDays(2)));
        order(customer, clock.instant().minusSeconds(60));
        assertThat(journey).isEnded();
        explainsTheChannelChoice(customer, campaign)
                .body(journeyOfCampaign + ".state", equalTo("COMPLETED"))
                .body(journeyOfCampaign + ".outcome", equalTo("CONVERTED"))
                .body(journeyOfCampaign + ".endedAt", notNullValue())
                .body(journeyOfCampaign + ".messages", hasSize(1));

        // what the level leaves out: no history detail per variable change, no job log of jobs that went well,
        // while the path, the variables and the decision are there
        assertThat(count("select count(*) from act_hi_detail where proc_inst_id_ = ?", journey.getId()))
                .isZero();
        assertThat(count("select count(*) from act_hi_job_log where process_instance_id_ = ?", journey.getId()))
                .isZero();
        assertThat(count("select count(*) from act_hi_actinst where proc_inst_id_ = ?", journey.getId()))
                .isGreaterThanOrEqualTo(6);
        assertThat(count("select count(*) from act_hi_varinst where proc_inst_id_ = ?", journey.getId()))
                .isPositive();
        assertThat(count(
                        "select count(*) from act_hi_dec_in i join act_hi_decinst d on d.id_ = i.dec_inst_id_ "
                                + "where d.proc_inst_id_ = ?",
                        journey.getId()))
                .isEqualTo(5);
    }

    /** The customer's journey in the campaign (an order may have entered her in other tests' campaigns too). */
    private io.restassured.response.ValidatableResponse explainsTheChannelChoice(String customer, String campaign) {
        String journey = "find { it.campaign == '" + campaign + "' }";
        return as(SERVICE)
                .get("/api/customers/{id}/journeys", customer)
                .then()
                .statusCode(200)
                .body("findAll { it.campaign == '" + campaign + "' }", hasSize(1))
                .body(journey + ".template", equalTo(WinBackProcess.KEY))
                .body(journey + ".decisions", hasSize(1))
                .body(journey + ".decisions[0].decision", equalTo("channel-choice"))
                .body(journey + ".decisions[0].step", equalTo(TASK_CHOOSE_CHANNEL.id()))
                .body(journey + ".decisions[0].inputs.'E-mail consent'", equalTo(true))
                .body(journey + ".decisions[0].inputs.'SMS consent'", equalTo(true))
                .body(journey + ".decisions[0].inputs.'Has a phone number'", equalTo(true))
                .body(journey + ".decisions[0].outputs.channel", equalTo("EMAIL"));
    }

    private long count(String sql, Object... arguments) {
        return jdbc.queryForObject(sql, Long.class, arguments);
    }

    private org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl engineConfiguration() {
        return (org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl)
                processEngine.getProcessEngineConfiguration();
    }

    @Test
    void anOrderBeforeTheOfferIsSentCancelsTheSend() {
        String customer = lapsingCustomer(true, true);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), false, "AFTER_EXIT");
        assertThat(enrolled(campaign)).isEqualTo(1);
        ProcessInstance journey = journey(campaign, customer);
        sendGridAccepts("sg-never");

        order(customer, NOW.minusSeconds(30));

        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(TASK_SEND_OFFER_EMAIL.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("CONVERTED");
        assertThat(sendGridRequests()).isZero();
        assertThat(deliveriesOf(journey.getId())).isEmpty();
    }

    @Test
    void bySmsWithoutAnOrderTheReminderGoesOutThenTheJourneyLapses() {
        String customer = lapsingCustomer(false, true);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), true, "AFTER_EXIT");
        assertThat(enrolled(campaign)).isEqualTo(1);
        ProcessInstance journey = journey(campaign, customer);
        twilioAccepts("SM" + "a".repeat(32));

        runDueJobs(journey.getId());
        assertThat(journey).hasPassed(TASK_SEND_OFFER_SMS.id()).isWaitingAt(EVENT_ORDER_WAIT_OVER.id());
        assertThat(twilioRequests()).isEqualTo(1);

        clock.set(NOW.plus(Duration.ofDays(14)).plusSeconds(1));
        runDueJobs(journey.getId());
        assertThat(journey).hasPassed(TASK_SEND_REMINDER_SMS.id()).isWaitingAt(EVENT_REMINDER_WAIT_OVER.id());
        assertThat(twilioRequests()).isEqualTo(2);

        clock.set(NOW.plus(Duration.ofDays(21)).plusSeconds(2));
        runDueJobs(journey.getId());
        assertThat(journey).isEnded().hasPassed(END_EVENT_LAPSED.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("LAPSED");
        assertThat(sendGridRequests()).isZero();
    }

    @Test
    void byEmailTheReminderIsAnEmail() {
        String customer = lapsingCustomer(true, true);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), true, "AFTER_EXIT");
        assertThat(enrolled(campaign)).isEqualTo(1);
        ProcessInstance journey = journey(campaign, customer);
        sendGridAccepts("sg-1");
        runDueJobs(journey.getId());
        clock.set(NOW.plus(Duration.ofDays(14)).plusSeconds(1));
        runDueJobs(journey.getId());
        assertThat(journey).hasPassed(TASK_SEND_REMINDER_EMAIL.id()).isWaitingAt(EVENT_REMINDER_WAIT_OVER.id());
        assertThat(sendGridRequests()).isEqualTo(2);
        assertThat(twilioRequests()).isZero();
    }

    @Test
    void withoutTheReminderOptionTheJourneyLapsesAfterTheWaitAndTheNextRecurringEntryFollowsThePolicy() {
        String again = lapsingCustomer(true, false);
        String once = lapsingCustomer(true, false);
        refreshSegments();
        String afterExit = activeCampaign(List.of(again), false, "AFTER_EXIT");
        String onceOnly = activeCampaign(List.of(once), false, "ONCE");
        assertThat(enrolled(afterExit)).isEqualTo(1);
        sendGridAccepts("sg-2");
        ProcessInstance first = journey(afterExit, again);
        ProcessInstance onceJourney = journey(onceOnly, once);
        runDueJobs(first.getId());
        runDueJobs(onceJourney.getId());

        // the next day's recurring entry: both still in a journey
        clock.set(NOW.plus(Duration.ofDays(1)).plusSeconds(1));
        assertThat(entryRuns.fire().of(afterExit)).containsEntry("ALREADY_ACTIVE", 1);

        clock.set(NOW.plus(Duration.ofDays(14)).plusSeconds(2));
        runDueJobs(first.getId());
        runDueJobs(onceJourney.getId());
        assertThat(first).isEnded().hasPassed(END_EVENT_LAPSED.id()).hasNotPassed(GATEWAY_REMINDER_CHANNEL.id());
        assertThat(exitOutcome(first.getId())).isEqualTo("LAPSED");

        clock.set(NOW.plus(Duration.ofDays(15)).plusSeconds(3));
        CampaignEntryRuns.Run next = entryRuns.fire();
        assertThat(next.of(afterExit)).containsEntry("ENROLLED", 1);
        assertThat(next.of(onceOnly)).containsEntry("ENTERED_BEFORE", 1);
        ProcessInstance second = journey(afterExit, again);
        assertThat(second.getId()).isNotEqualTo(first.getId());
        assertThat(second.getBusinessKey()).isEqualTo(first.getBusinessKey());
    }

    @Test
    void aCustomerNoChannelCanReachEndsAsUnreachable() {
        String customer = lapsingCustomer(false, false);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), false, "AFTER_EXIT");
        assertThat(enrolled(campaign)).isEqualTo(1);
        ProcessInstance journey = journey(campaign, customer);
        runDueJobs(journey.getId());
        assertThat(journey).isEnded().hasPassed(END_EVENT_UNREACHABLE.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("UNREACHABLE");
        assertThat(historyService
                        .createHistoricDecisionInstanceQuery()
                        .processInstanceId(journey.getId())
                        .includeOutputs()
                        .singleResult()
                        .getOutputs()
                        .get(0)
                        .getValue())
                .isEqualTo("NONE");
    }

    @Test
    void anotherServiceStartsAJourneyOnceForTheSameIdempotencyKey() {
        String customer = lapsingCustomer(true, false);
        String other = lapsingCustomer(true, false);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer, other), false, "AFTER_EXIT");
        String key = "idem-" + UUID.randomUUID();

        String instance = as(SERVICE)
                .body(Map.of("customerId", customer, "idempotencyKey", key))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(201)
                .body("businessKey", equalTo(campaign + ":" + customer))
                .extract()
                .path("processInstanceId");
        as(SERVICE)
                .body(Map.of("customerId", customer, "idempotencyKey", key))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(200)
                .body("processInstanceId", equalTo(instance));
        as(SERVICE)
                .body(Map.of("customerId", other, "idempotencyKey", key))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(409)
                .body("errors.field", hasItems("idempotencyKey"));
        as(SERVICE)
                .body(Map.of("customerId", customer))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(409)
                .body("errors.field", hasItems("customerId"));
        as(SERVICE)
                .body(Map.of("customerId", "nobody-" + UUID.randomUUID()))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("customerId"));
        String outsider = newCustomer("outside-" + UUID.randomUUID() + "@example.com", null, NEW_YORK, true, false);
        as(SERVICE)
                .body(Map.of("customerId", outsider))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("customerId"));
        as(SERVICE)
                .body(Map.of("customerId", customer))
                .post("/api/campaigns/{id}/enrollments", "no-such-campaign")
                .then()
                .statusCode(404);
        as(ANALYST)
                .body(Map.of("customerId", customer))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(403);
        assertThat(jdbc.queryForObject(
                        "select count(*) from campaign_enrollment where campaign_key = ?", Integer.class, campaign))
                .isEqualTo(1);
    }

    @Test
    void concurrentTriggersForOneCustomerStartOneJourney() throws Exception {
        String customer = lapsingCustomer(true, false);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), false, "AFTER_EXIT");
        int requests = 6;
        ExecutorService pool = Executors.newFixedThreadPool(requests + 1);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return as(SERVICE)
                            .body(Map.of("customerId", customer))
                            .post("/api/campaigns/{id}/enrollments", campaign)
                            .then()
                            .extract()
                            .statusCode();
                }));
            }
            Future<Integer> recurring = pool.submit((Callable<Integer>) () -> {
                go.await();
                return enrolled(campaign);
            });
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            int created = (int) statuses.stream().filter(s -> s == 201).count() + recurring.get();
            assertThat(created)
                    .as("journeys started by %s and the recurring entry", statuses)
                    .isEqualTo(1);
            assertThat(statuses).allMatch(s -> s == 201 || s == 409);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject(
                        "select count(*) from campaign_enrollment where campaign_key = ?", Integer.class, campaign))
                .isEqualTo(1);
        assertThat(runtimeService
                        .createProcessInstanceQuery()
                        .processInstanceBusinessKey(campaign + ":" + customer)
                        .count())
                .isEqualTo(1);
    }

    @Test
    void theCampaignEntryScheduleEntersTheRecurringAudience() {
        String customer = lapsingCustomer(true, false);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), false, "AFTER_EXIT");
        org.camunda.bpm.engine.runtime.Job schedule = managementService
                .createJobQuery()
                .processDefinitionKey(CampaignEntryProcess.KEY)
                .timers()
                .singleResult();
        assertThat(schedule).as("the campaign-entry schedule is deployed").isNotNull();
        List<String> before =
                historyService
                        .createHistoricProcessInstanceQuery()
                        .processDefinitionKey(CampaignEntryProcess.KEY)
                        .list()
                        .stream()
                        .map(p -> p.getId())
                        .toList();

        managementService.executeJob(schedule.getId());
        String run =
                historyService
                        .createHistoricProcessInstanceQuery()
                        .processDefinitionKey(CampaignEntryProcess.KEY)
                        .list()
                        .stream()
                        .map(p -> p.getId())
                        .filter(id -> !before.contains(id))
                        .findFirst()
                        .orElseThrow();
        assertThat(journeysOf(campaign, customer))
                .as("entry waits for the step's job")
                .isZero();
        runDueJobs(run);

        assertThat(historyService
                        .createHistoricProcessInstanceQuery()
                        .processInstanceId(run)
                        .singleResult()
                        .getEndActivityId())
                .isEqualTo(END_EVENT_ENTERED.id());
        assertThat(journeysOf(campaign, customer)).isEqualTo(1);
        assertThat(managementService
                        .createJobQuery()
                        .processDefinitionKey(CampaignEntryProcess.KEY)
                        .timers()
                        .count())
                .as("the next run is scheduled")
                .isEqualTo(1);
    }

    private int journeysOf(String campaign, String customerId) {
        return jdbc.queryForObject(
                "select count(*) from campaign_enrollment e join customer c on c.customer_key = "
                        + "e.customer_key where e.campaign_key = ? and c.customer_id = ?",
                Integer.class,
                campaign,
                customerId);
    }

    /** Runs after the others: every step of the template ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheTemplateRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(historyService, repositoryService, WinBackProcess.KEY);
        FlowNodeCoverage.assertEveryFlowNodeRan(historyService, repositoryService, CampaignEntryProcess.KEY);
    }
}
