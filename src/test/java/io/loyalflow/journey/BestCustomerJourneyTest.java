package io.loyalflow.journey;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.loyalflow.journey.BestCustomerProcess.Element.END_EVENT_SERIES_DONE;
import static io.loyalflow.journey.BestCustomerProcess.Element.END_EVENT_TEAM_FOLLOWED_UP;
import static io.loyalflow.journey.BestCustomerProcess.Element.EVENT_SERIES_DELAY;
import static io.loyalflow.journey.BestCustomerProcess.Element.EVENT_SMART_SEND_WAIT;
import static io.loyalflow.journey.BestCustomerProcess.Element.TASK_COMPUTE_SMART_SEND_TIME;
import static io.loyalflow.journey.BestCustomerProcess.Element.TASK_SEND_SERIES_EMAIL;
import static io.loyalflow.journey.BestCustomerProcess.Element.TASK_TEAM_FOLLOW_UP;
import static io.loyalflow.messaging.MessagingVariables.SMART_SEND_AT;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.platform.security.LoyalflowGroups;
import io.loyalflow.testsupport.CampaignEntryRuns;
import io.loyalflow.testsupport.FlowNodeCoverage;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The best-customer template end to end: big spenders become best customers at a segment refresh,
 * the SEGMENT_ENTERED trigger of the campaign's variant starts the journey, SendGrid (through its SDK)
 * gets each e-mail of the series after its delay, from the sender it inherits or overrides, smart-sent
 * e-mails wait on a timer for the customer's usual purchase hour, an unsubscribe between e-mails stops
 * the rest, and the team's Tasklist task ends the journey when completed. Runs on H2 and, as a
 * database test, on PostgreSQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BestCustomerJourneyTest extends MessagingIntegrationTest {

    @Autowired
    io.loyalflow.platform.events.EventPublications publications;

    private static final Instant NOW = Instant.parse("2026-06-01T14:00:00Z");
    private static final String T1 = "d-" + "a1".repeat(16);
    private static final String T2 = "d-" + "b2".repeat(16);
    private static final String T3 = "d-" + "c3".repeat(16);
    private static final String PREDICTIVE_SEGMENT = CampaignSettings.PREDICTIVE_BEST_CUSTOMERS;
    private static final Map<String, Object> FOUNDER = Map.of("email", "founder@shop.example", "name", "Jo Founder");
    private static final Map<String, Object> VP = Map.of("email", "vp@shop.example", "name", "Vic VP");
    private static final String TEAM_MEMBER = "tina.team";
    private static final String TEAM_PASSWORD = "team-password-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each best customer outspends the one before, so the newest is always the top spender. */
    private static final AtomicInteger BIG_SPENDERS = new AtomicInteger();

    private static boolean recentBuyers;

    private CampaignEntryRuns entryRuns() {
        return new CampaignEntryRuns(managementService, historyService);
    }

    @Autowired
    HistoryService historyService;

    @Autowired
    TaskService taskService;

    @Autowired
    PlatformTransactionManager transactionManager;

    @BeforeEach
    void setUp() {
        clock.set(NOW);
        // SendGrid's Verified Senders API: the shop's senders, and one nobody verified
        PROVIDERS.stubFor(get(urlPathEqualTo("/v3/verified_senders"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
            {"results": [{"id": 1, "from_email": "offers@shop.example", "verified": true},
                         {"id": 2, "from_email": "founder@shop.example", "verified": true},
                         {"id": 3, "from_email": "vp@shop.example", "verified": true},
                         {"id": 4, "from_email": "intern@shop.example", "verified": false}]}""")));
        // A spend percentile needs company: a lone recent buyer ranks 0, not top.
        if (!recentBuyers) {
            for (int i = 0; i < 4; i++) {
                String filler = newCustomer("small-" + UUID.randomUUID() + "@example.com", null, "UTC", false, false);
                order(filler, NOW.minus(Duration.ofDays(5 + i)), "20.00");
            }
            recentBuyers = true;
        }
    }

    // ---- customers, campaigns, entry

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

    /** A customer who outspends everyone before (in total): a best customer (standard) at the next refresh. */
    private String bigSpender(String timeZone, Instant... orders) {
        String id = newCustomer("best-" + UUID.randomUUID() + "@example.com", null, timeZone, true, false);
        BigDecimal total = BigDecimal.valueOf(1_000_000L * (BIG_SPENDERS.incrementAndGet() + 1));
        String amount = total.divide(BigDecimal.valueOf(orders.length), 2, java.math.RoundingMode.HALF_UP)
                .toPlainString();
        for (Instant placedAt : orders) {
            order(id, placedAt, amount);
        }
        return id;
    }

    private static Map<String, Object> email(String templateId, String after) {
        Map<String, Object> email = new LinkedHashMap<>();
        email.put("templateId", templateId);
        email.put("after", after);
        return email;
    }

    private static Map<String, Object> with(Map<String, Object> email, String key, Object value) {
        email.put(key, value);
        return email;
    }

    /** Settings of a best-customer campaign whose audience is narrowed to the test's customers. */
    private static Map<String, Object> settings(
            String variant, List<String> customers, List<Map<String, Object>> series) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("variant", variant);
        settings.put("audience", Map.of("conditions", Map.of("field", "customerId", "op", "in", "value", customers)));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("series", series);
        return settings;
    }

    private String draft(Map<String, Object> settings) {
        String id = "best-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Thank our best customers",
                        "template",
                        BestCustomerProcess.KEY,
                        "settings",
                        settings))
                .post("/api/campaigns")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(201);
        return id;
    }

    private String activeCampaign(Map<String, Object> settings) {
        String id = draft(settings);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
        return id;
    }

    private void refreshSegments() {
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
    }

    /**
     * The customer-value model predicts these customers, and only these, in the top quarter: a fit is
     * recorded with their predictions (what a fit on their orders would store; the model itself is
     * CustomerValueFitTest's business), and the segment refresh turns that into the predictive
     * segment's memberships and SEGMENT_ENTERED events, as every night.
     */
    private void enterPredictiveSegment(String... customerIds) {
        long version = jdbc.queryForObject("select coalesce(max(fit_version), 0) + 1 from clv_fit", Long.class);
        jdbc.update(
                "insert into clv_fit (fit_version, status, calibration_end, horizon_weeks, started_at, duration_ms, "
                        + "customers, repeat_buyers, scored) values (?, 'FITTED', ?, 52, ?, 0, ?, 0, ?)",
                version,
                java.time.LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC),
                clock.instant().atOffset(ZoneOffset.UTC),
                customerIds.length,
                customerIds.length);
        jdbc.update("delete from customer_value");
        for (String customerId : customerIds) {
            jdbc.update(
                    "insert into customer_value (customer_key, fit_version, expected_purchases, probability_alive, "
                            + "expected_order_value, predicted_value, value_percentile) select customer_key, ?, 3.2, 0.9, 80, 256, 0.95 "
                            + "from customer where customer_id = ?",
                    version,
                    customerId);
        }
        refreshSegments();
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
        assertThat(started).as("journeys of %s in %s", customerId, campaign).hasSize(1);
        ProcessInstance running = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(started.get(0))
                .singleResult();
        assertThat(running).as("journey is running").isNotNull();
        return running;
    }

    /** A refresh makes the big spender a best customer; the campaign's trigger starts the journey. */
    private ProcessInstance entersAsBestCustomer(String campaign, String customerId) {
        refreshSegments();
        entryRuns().fire();
        return onlyJourney(campaign, customerId);
    }

    private String exitOutcome(String processInstanceId) {
        return jdbc.queryForObject(
                "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                String.class,
                processInstanceId);
    }

    private Instant timerDue(String processInstanceId) {
        Job timer = managementService
                .createJobQuery()
                .processInstanceId(processInstanceId)
                .timers()
                .singleResult();
        assertThat(timer).as("the journey waits on a timer").isNotNull();
        return timer.getDuedate().toInstant();
    }

    private long ran(String processInstanceId, String activityId) {
        return historyService
                .createHistoricActivityInstanceQuery()
                .processInstanceId(processInstanceId)
                .activityId(activityId)
                .finished()
                .count();
    }

    private static void sentFrom(Map<String, Object> sender, String templateId, String templateData) {
        PROVIDERS.verify(
                1,
                postRequestedFor(urlEqualTo(SENDGRID_SEND))
                        .withRequestBody(equalToJson(
                                """
        {"from": {"email": "%s", "name": "%s"}, "template_id": "%s",
         "personalizations": [{"dynamic_template_data": %s}]}""".formatted(sender.get("email"), sender.get("name"), templateId, templateData),
                                true,
                                true)));
    }

    /** A timestamp column as the driver hands it over (H2: OffsetDateTime, PostgreSQL: Timestamp). */
    private static Instant instant(Object value) {
        return value instanceof java.time.OffsetDateTime odt
                ? odt.toInstant()
                : ((java.sql.Timestamp) value).toInstant();
    }

    private JsonNode content(Map<String, Object> delivery) {
        try {
            return JSON.readTree((String) delivery.get("content"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the series

    @Test
    @Order(1)
    void aSeriesOfThreeEmailsGoesOutAfterEachDelayFromTheSenderItInheritsOrOverrides() {
        String customer =
                bigSpender("America/New_York", NOW.minus(Duration.ofDays(20)), NOW.minus(Duration.ofDays(10)));
        List<Map<String, Object>> series = List.of(
                with(
                        with(email(T1, "P0D"), "sender", FOUNDER),
                        "templateData",
                        Map.of("color", "gold", "signature", "Jo", "logo", "big", "name", "{{firstName}}")),
                with(email(T2, "P3D"), "templateData", mapWithNull("signature", "Jo, again", "logo")),
                with(email(T3, "P7D"), "sender", VP));
        String campaign = activeCampaign(settings("STANDARD", List.of(customer), series));
        sendGridAccepts("sg-series");

        ProcessInstance journey = entersAsBestCustomer(campaign, customer);
        assertThat(journey.getBusinessKey()).isEqualTo(campaign + ":" + customer);
        assertThat(journey).isWaitingAt(EVENT_SERIES_DELAY.id());
        assertThat(timerDue(journey.getId())).isEqualTo(NOW); // P0D: e-mail 1 right after entry

        runDueJobs(journey.getId());
        sentFrom(FOUNDER, T1, "{\"color\": \"gold\", \"signature\": \"Jo\", \"logo\": \"big\", \"name\": \"Ann\"}");
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(journey).isWaitingAt(EVENT_SERIES_DELAY.id());
        assertThat(timerDue(journey.getId())).isEqualTo(NOW.plus(Duration.ofDays(3)));

        // e-mail 2: SendGrid takes it, then the node dies before the journey's transaction commits
        clock.set(NOW.plus(Duration.ofDays(3)));
        Job delay = managementService
                .createJobQuery()
                .processInstanceId(journey.getId())
                .timers()
                .executable()
                .singleResult();
        managementService.executeJob(delay.getId());
        Job send = managementService
                .createJobQuery()
                .processInstanceId(journey.getId())
                .messages()
                .singleResult();
        new TransactionTemplate(transactionManager).executeWithoutResult(tx -> {
            managementService.executeJob(send.getId());
            tx.setRollbackOnly();
        });
        assertThat(sendGridRequests()).isEqualTo(2);
        assertThat(managementService.createJobQuery().jobId(send.getId()).count())
                .as("the job is back")
                .isOne();
        // the retried job finds e-mail 2's delivery and sends nothing again
        managementService.executeJob(send.getId());
        assertThat(sendGridRequests()).isEqualTo(2);
        // e-mail 2 inherits the founder as sender and e-mail 1's template data, its own keys winning
        sentFrom(FOUNDER, T2, "{\"color\": \"gold\", \"signature\": \"Jo, again\", \"name\": \"Ann\"}");
        assertThat(timerDue(journey.getId())).isEqualTo(NOW.plus(Duration.ofDays(10)));

        clock.set(NOW.plus(Duration.ofDays(10)));
        runDueJobs(journey.getId());
        sentFrom(VP, T3, "{\"color\": \"gold\", \"signature\": \"Jo\", \"logo\": \"big\"}");
        assertThat(sendGridRequests()).isEqualTo(3);

        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_SERIES_DONE.id())
                .hasNotPassed(TASK_COMPUTE_SMART_SEND_TIME.id(), TASK_TEAM_FOLLOW_UP.id());
        assertThat(ran(journey.getId(), TASK_SEND_SERIES_EMAIL.id())).isEqualTo(3);
        assertThat(exitOutcome(journey.getId())).isEqualTo("SERIES_DONE");
        List<Map<String, Object>> deliveries = deliveriesOf(journey.getId());
        assertThat(deliveries)
                .extracting(d -> d.get("step_key") + " " + d.get("template_id") + " " + d.get("status"))
                .containsExactly(
                        "Task_SendSeriesEmail[0]#1 " + T1 + " SENT",
                        "Task_SendSeriesEmail[1]#1 " + T2 + " SENT",
                        "Task_SendSeriesEmail[2]#1 " + T3 + " SENT");
        assertThat(content(deliveries.get(1)).has("logo"))
                .as("e-mail 2 drops the logo it set to null")
                .isFalse();
        // the customer's journeys show which e-mail of the series each message was
        as(SERVICE)
                .get("/api/customers/{id}/journeys", customer)
                .then()
                .statusCode(200)
                .body("[0].template", equalTo(BestCustomerProcess.KEY))
                .body("[0].outcome", equalTo("SERIES_DONE"))
                .body(
                        "[0].messages.step",
                        equalTo(List.of(
                                "Task_SendSeriesEmail[0]#1", "Task_SendSeriesEmail[1]#1", "Task_SendSeriesEmail[2]#1")))
                .body("[0].messages.templateId", equalTo(List.of(T1, T2, T3)));
    }

    private static Map<String, Object> mapWithNull(String key, Object value, String nullKey) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(key, value);
        map.put(nullKey, null);
        return map;
    }

    @Test
    @Order(2)
    void aCustomerWhoUnsubscribesBetweenEmailsGetsTheFirstOnlyAndTheJourneyEnds() {
        String customer = bigSpender("UTC", NOW.minus(Duration.ofDays(15)));
        String campaign = activeCampaign(
                settings("STANDARD", List.of(customer), List.of(email(T1, "P0D"), email(T2, "P2D"), email(T3, "P2D"))));
        sendGridAccepts("sg-unsub");
        ProcessInstance journey = entersAsBestCustomer(campaign, customer);
        runDueJobs(journey.getId());
        assertThat(sendGridRequests()).isEqualTo(1);

        // the customer opts out of e-mail in the shop's preference centre
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put(
                "email",
                jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customer));
        profile.put("firstName", "Ann");
        profile.put("lastName", "Lee");
        profile.put("timeZone", "UTC");
        profile.put(
                "consents",
                Map.of(
                        "email",
                        Map.of(
                                "status",
                                "OPTED_OUT",
                                "source",
                                "preference-center",
                                "statedAt",
                                NOW.plus(Duration.ofDays(1)).toString())));
        clock.set(NOW.plus(Duration.ofDays(1)));
        as(SERVICE).body(profile).put("/api/customers/{id}", customer).then().statusCode(200);

        clock.set(NOW.plus(Duration.ofDays(2)));
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(EVENT_SERIES_DELAY.id());
        clock.set(NOW.plus(Duration.ofDays(4)));
        runDueJobs(journey.getId());

        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(journey).isEnded().hasPassed(END_EVENT_SERIES_DONE.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("SERIES_DONE");
        assertThat(deliveriesOf(journey.getId()))
                .extracting(d -> d.get("step_key") + " " + d.get("gate_decision") + " " + d.get("status"))
                .containsExactly(
                        "Task_SendSeriesEmail[0]#1 PASSED SENT",
                        "Task_SendSeriesEmail[1]#1 NO_CONSENT SKIPPED",
                        "Task_SendSeriesEmail[2]#1 NO_CONSENT SKIPPED");
    }

    @Test
    @Order(3)
    void aCustomerErasedMidSeriesIsSkippedUntilTheErasureReachesTheJourney() {
        // 16:00 in Paris when the journey starts: e-mail 1 goes out at once
        String customer = bigSpender("Europe/Paris", NOW.minus(Duration.ofDays(8)));
        Map<String, Object> settings = settings(
                "STANDARD", List.of(customer), List.of(email(T1, "P0D"), with(email(T2, "P1D"), "smartSend", true)));
        settings.put("smartSend", Map.of("fallbackHour", 9));
        String campaign = activeCampaign(settings);
        sendGridAccepts("sg-erased");
        ProcessInstance journey = entersAsBestCustomer(campaign, customer);
        runDueJobs(journey.getId());
        assertThat(sendGridRequests()).isEqualTo(1);

        // the erasure ends the customer's journeys after its commit; until it reaches this one (its listener
        // fails once here), the series goes on and its sends skip the erased customer
        durableEvents.failNext(ErasedJourneys.LISTENER_ID, 1);
        as(SERVICE).delete("/api/customers/{id}", customer).then().statusCode(204);
        clock.set(NOW.plus(Duration.ofDays(1)));
        runDueJobs(journey.getId());
        // no customer, no usual hour and no zone: the fallback hour in the default zone (UTC here)
        assertThat(journey).isWaitingAt(EVENT_SMART_SEND_WAIT.id());
        assertThat(timerDue(journey.getId())).isEqualTo("2026-06-03T09:00:00Z");
        clock.set(Instant.parse("2026-06-03T09:00:00Z"));
        runDueJobs(journey.getId());

        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(journey).isEnded().hasPassed(END_EVENT_SERIES_DONE.id());
        assertThat(deliveriesOf(journey.getId()))
                .extracting(d -> d.get("step_key") + " " + d.get("gate_decision"))
                .containsExactly("Task_SendSeriesEmail[0]#1 PASSED", "Task_SendSeriesEmail[1]#1 NO_CUSTOMER");

        // the erasure's resubmission finds the journey over and changes nothing
        assertThat(publications.resubmitStale()).isEqualTo(1);
        durableEvents.awaitCompletion();
        assertThat(jdbc.queryForObject(
                        "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                        String.class,
                        journey.getId()))
                .isEqualTo("SERIES_DONE");
    }

    // ---- smart send

    @Test
    @Order(4)
    void aSmartSentEmailWaitsForTheCustomersUsualPurchaseHourInTheirZone() {
        // orders at 20:15 and 20:40 in Tokyo: the usual purchase hour is 20 (11:00 UTC)
        String customer =
                bigSpender("Asia/Tokyo", Instant.parse("2026-05-20T11:15:00Z"), Instant.parse("2026-05-25T11:40:00Z"));
        Map<String, Object> settings = settings(
                "STANDARD", List.of(customer), List.of(with(email(T1, "P0D"), "smartSend", true), email(T2, "P1D")));
        settings.put("smartSend", Map.of("fallbackHour", 10));
        String campaign = activeCampaign(settings);
        sendGridAccepts("sg-smart");
        ProcessInstance journey = entersAsBestCustomer(campaign, customer);

        runDueJobs(journey.getId());
        // entered at 23:00 in Tokyo: today's 20:00 has passed, so tomorrow's
        assertThat(journey).isWaitingAt(EVENT_SMART_SEND_WAIT.id());
        assertThat(timerDue(journey.getId())).isEqualTo("2026-06-02T11:00:00Z");
        assertThat(variable(journey.getId(), SMART_SEND_AT.name()))
                .isEqualTo(java.util.Date.from(Instant.parse("2026-06-02T11:00:00Z")));

        clock.set(Instant.parse("2026-06-02T10:59:59Z"));
        assertThat(runDueJobs(journey.getId())).isZero();
        clock.set(Instant.parse("2026-06-02T11:00:00Z"));
        runDueJobs(journey.getId());
        assertThat(sendGridRequests()).isEqualTo(1);

        // e-mail 2 inherits smart send; its delay ends at 20:00 in Tokyo, which is the moment itself
        assertThat(timerDue(journey.getId())).isEqualTo("2026-06-03T11:00:00Z");
        clock.set(Instant.parse("2026-06-03T11:00:00Z"));
        runDueJobs(journey.getId());
        assertThat(journey).isEnded();
        assertThat(ran(journey.getId(), EVENT_SMART_SEND_WAIT.id())).isEqualTo(2);
        assertThat(deliveriesOf(journey.getId()))
                .extracting(d -> instant(d.get("created_at")))
                .containsExactly(Instant.parse("2026-06-02T11:00:00Z"), Instant.parse("2026-06-03T11:00:00Z"));
    }

    @Test
    @Order(5)
    void aNightOwlsSmartSentEmailsGoAtTheEmailWindowsOpeningAlsoTheMorningsAfterTheClocksChange() {
        // a London customer who buys around 01:30: smart send moves that hour into the e-mail window, to 08:00
        // local time; on the mornings after the clocks fall back and spring forward, 08:00 is still local time
        // (which repeated or skipped hour 01:00 would be is SmartSendTimesTest's business)
        String customer = bigSpender(
                "Europe/London", Instant.parse("2026-05-12T00:30:00Z"), Instant.parse("2026-05-22T00:30:00Z"));
        Instant beforeFallBack = Instant.parse("2026-10-24T12:00:00Z");
        Instant eightAfterFallBack = Instant.parse("2026-10-25T08:00:00Z"); // 08:00 GMT, the first morning after BST
        Instant beforeSpringForward = Instant.parse("2027-03-27T12:00:00Z");
        Instant eightAfterSpringForward = Instant.parse("2027-03-28T07:00:00Z"); // 08:00 BST
        Map<String, Object> settings = settings(
                "STANDARD",
                List.of(customer),
                List.of(
                        with(
                                email(
                                        T1,
                                        "PT"
                                                + Duration.between(NOW, beforeFallBack)
                                                        .toHours() + "H"),
                                "smartSend",
                                true),
                        email(
                                T2,
                                "PT"
                                        + Duration.between(eightAfterFallBack, beforeSpringForward)
                                                .toHours() + "H")));
        settings.put("smartSend", Map.of("fallbackHour", 10));
        String campaign = activeCampaign(settings);
        sendGridAccepts("sg-dst");
        ProcessInstance journey = entersAsBestCustomer(campaign, customer);
        assertThat(timerDue(journey.getId())).isEqualTo(beforeFallBack);

        clock.set(beforeFallBack);
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(EVENT_SMART_SEND_WAIT.id());
        assertThat(timerDue(journey.getId())).isEqualTo(eightAfterFallBack);
        clock.set(eightAfterFallBack);
        runDueJobs(journey.getId());
        assertThat(sendGridRequests()).isEqualTo(1);

        assertThat(timerDue(journey.getId())).isEqualTo(beforeSpringForward);
        clock.set(beforeSpringForward);
        runDueJobs(journey.getId());
        assertThat(timerDue(journey.getId())).isEqualTo(eightAfterSpringForward);
        clock.set(eightAfterSpringForward);
        runDueJobs(journey.getId());
        assertThat(sendGridRequests()).isEqualTo(2);
        assertThat(journey).isEnded().hasPassed(END_EVENT_SERIES_DONE.id());
        // sent when smart send said, never held back by the window
        assertThat(deliveriesOf(journey.getId()))
                .extracting(d -> d.get("gate_decision") + " " + instant(d.get("sent_at")))
                .containsExactly("PASSED " + eightAfterFallBack, "PASSED " + eightAfterSpringForward);
    }

    @Test
    @Order(6)
    void customersWithoutAUsualPurchaseHourGetTheCampaignsFallbackHourInTheirZone() {
        // no orders, so no usual hour: one in Paris, one without a zone (the service's default, UTC in tests)
        String paris = newCustomer("paris-" + UUID.randomUUID() + "@example.com", null, "Europe/Paris", true, false);
        String nowhere = newCustomer("nozone-" + UUID.randomUUID() + "@example.com", null, null, true, false);
        Map<String, Object> settings =
                settings("PREDICTIVE", List.of(paris, nowhere), List.of(with(email(T1, "P0D"), "smartSend", true)));
        settings.put("smartSend", Map.of("fallbackHour", 10));
        String campaign = activeCampaign(settings);
        sendGridAccepts("sg-fallback");
        enterPredictiveSegment(paris, nowhere);
        entryRuns().fire();
        ProcessInstance inParis = onlyJourney(campaign, paris);
        ProcessInstance inUtc = onlyJourney(campaign, nowhere);

        runDueJobs(inParis.getId());
        runDueJobs(inUtc.getId());
        // 14:00 UTC is 16:00 in Paris: the next 10:00 there is tomorrow 08:00 UTC; in UTC tomorrow 10:00
        assertThat(timerDue(inParis.getId())).isEqualTo("2026-06-02T08:00:00Z");
        assertThat(timerDue(inUtc.getId())).isEqualTo("2026-06-02T10:00:00Z");

        clock.set(Instant.parse("2026-06-02T08:00:00Z"));
        runDueJobs(inParis.getId());
        assertThat(runDueJobs(inUtc.getId())).isZero();
        assertThat(inParis).isEnded();
        clock.set(Instant.parse("2026-06-02T10:00:00Z"));
        runDueJobs(inUtc.getId());
        assertThat(inUtc).isEnded();
        assertThat(sendGridRequests()).isEqualTo(2);
    }

    // ---- variants

    @Test
    @Order(7)
    void eachVariantStartsJourneysFromItsOwnSegmentOnly() {
        String spender = bigSpender("UTC", NOW.minus(Duration.ofDays(3)));
        String predicted = newCustomer("predicted-" + UUID.randomUUID() + "@example.com", null, "UTC", true, false);
        List<String> both = List.of(spender, predicted);
        List<Map<String, Object>> series = List.of(email(T1, "P1D"));
        String standard = activeCampaign(settings("STANDARD", both, series));
        String predictive = activeCampaign(settings("PREDICTIVE", both, series));

        // the refresh makes the big spender a best customer; the model predicts the other one
        enterPredictiveSegment(predicted);
        entryRuns().fire();

        assertThat(journeys(standard, spender)).hasSize(1);
        assertThat(journeys(standard, predicted)).isEmpty();
        assertThat(journeys(predictive, predicted)).hasSize(1);
        assertThat(journeys(predictive, spender)).isEmpty();
        assertThat(jdbc.queryForObject(
                        "select count(*) from campaign_trigger t join segment_event e "
                                + "on e.event_key = t.event_key where t.campaign_key = ? and e.segment_id <> ?",
                        Integer.class,
                        predictive,
                        PREDICTIVE_SEGMENT))
                .as("events of other segments the predictive campaign looked at")
                .isZero();
        as(ANALYST)
                .get("/api/campaigns/{id}", predictive)
                .then()
                .statusCode(200)
                .body("settings.variant", equalTo("PREDICTIVE"))
                .body("settings.audience.segment", equalTo(PREDICTIVE_SEGMENT))
                .body("settings.trigger.type", equalTo("SEGMENT_ENTERED"));

        // an audience naming the other variant's segment contradicts the variant: refused, nothing stored
        Map<String, Object> contradicting = settings("PREDICTIVE", both, series);
        contradicting.put("audience", Map.of("segment", "best-customers"));
        contradicting.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        as(ANALYST)
                .body(Map.of(
                        "id",
                        "best-contradiction",
                        "name",
                        "Contradiction",
                        "template",
                        BestCustomerProcess.KEY,
                        "settings",
                        contradicting))
                .post("/api/campaigns")
                .then()
                .statusCode(422)
                .body("errors.field", containsInAnyOrder("settings.audience.segment", "settings.trigger.type"))
                .body(
                        "errors.find { it.field == 'settings.audience.segment' }.message",
                        containsString("best-customers-predictive"));
        as(ANALYST).get("/api/campaigns/{id}", "best-contradiction").then().statusCode(404);
        as(ANALYST)
                .body(Map.of("name", "Switched", "template", BestCustomerProcess.KEY, "settings", contradicting))
                .put("/api/campaigns/{id}", standard)
                .then()
                .statusCode(422);

        // switching the running standard campaign to predictive: new entries come from the predicted
        Map<String, Object> switched = settings("PREDICTIVE", both, series);
        as(ADMIN)
                .body(Map.of("name", "Switched", "template", BestCustomerProcess.KEY, "settings", switched))
                .put("/api/campaigns/{id}", standard)
                .then()
                .statusCode(200)
                .body("revision", equalTo(2))
                .body("settings.audience.segment", equalTo(PREDICTIVE_SEGMENT));
    }

    // ---- the team's task

    @Test
    @Order(8)
    void theTeamGetsATasklistTaskAndCompletingItEndsTheJourney() {
        teamMember();
        String customer = bigSpender("UTC", NOW.minus(Duration.ofDays(4)));
        Map<String, Object> settings = settings("STANDARD", List.of(customer), List.of(email(T1, "P0D")));
        settings.put(
                "teamTask",
                Map.of(
                        "title",
                        "Call this customer",
                        "description",
                        "Thank them for being one of our best customers; offer the private line."));
        String campaign = activeCampaign(settings);
        sendGridAccepts("sg-task");
        ProcessInstance journey = entersAsBestCustomer(campaign, customer);
        runDueJobs(journey.getId());

        assertThat(journey).isWaitingAt(TASK_TEAM_FOLLOW_UP.id());
        Task task =
                taskService.createTaskQuery().processInstanceId(journey.getId()).singleResult();
        assertThat(task.getName()).isEqualTo("Call this customer");
        assertThat(task.getDescription()).startsWith("Thank them").contains("Customer " + customer, campaign);
        assertThat(taskService.getIdentityLinksForTask(task.getId()))
                .extracting(IdentityLink::getType, IdentityLink::getGroupId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(IdentityLinkType.CANDIDATE, LoyalflowGroups.TEAM));

        // in Tasklist (the engine REST API it uses), the team sees it through the "All tasks" filter; an analyst does
        // not
        throughThisEnginesRestApi(() -> {
            String filter = engine(TEAM_MEMBER, TEAM_PASSWORD)
                    .get("/engine-rest/filter?resourceType=Task&name=All tasks")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("[0].id");
            engine(TEAM_MEMBER, TEAM_PASSWORD)
                    .contentType(ContentType.JSON)
                    .body(Map.of("processInstanceId", journey.getId()))
                    .post("/engine-rest/filter/{id}/list", filter)
                    .then()
                    .statusCode(200)
                    .body("name", equalTo(List.of("Call this customer")));
            engine(ANALYST.id, ANALYST.password)
                    .get("/engine-rest/task?processInstanceId={id}", journey.getId())
                    .then()
                    .statusCode(200)
                    .body("size()", equalTo(0));
            engine(TEAM_MEMBER, TEAM_PASSWORD)
                    .contentType(ContentType.JSON)
                    .body(Map.of("userId", TEAM_MEMBER))
                    .post("/engine-rest/task/{id}/claim", task.getId())
                    .then()
                    .statusCode(204);
            engine(TEAM_MEMBER, TEAM_PASSWORD)
                    .contentType(ContentType.JSON)
                    .body(Map.of())
                    .post("/engine-rest/task/{id}/complete", task.getId())
                    .then()
                    .statusCode(204);
        });

        assertThat(journey)
                .isEnded()
                .hasPassed(TASK_TEAM_FOLLOW_UP.id(), END_EVENT_TEAM_FOLLOWED_UP.id())
                .hasNotPassed(END_EVENT_SERIES_DONE.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("TEAM_FOLLOWED_UP");
        assertThat(historyService
                        .createHistoricTaskInstanceQuery()
                        .processInstanceId(journey.getId())
                        .singleResult()
                        .getAssignee())
                .isEqualTo(TEAM_MEMBER);
    }

    private void teamMember() {
        if (identityService.createUserQuery().userId(TEAM_MEMBER).count() == 0) {
            User user = identityService.newUser(TEAM_MEMBER);
            user.setPassword(TEAM_PASSWORD);
            user.setFirstName("Tina");
            user.setLastName("Team");
            identityService.saveUser(user);
            identityService.createMembership(TEAM_MEMBER, LoyalflowGroups.TEAM);
        }
    }

    /**
     * The engine REST API finds its engine in Camunda's static registry, where each Spring test context in
     * this JVM registers its own engine as "default" and the last one built wins: the calls go to this
     * context's engine (and database), and the registry is put back afterwards.
     */
    private void throughThisEnginesRestApi(Runnable calls) {
        ProcessEngine previous = ProcessEngines.getProcessEngine(processEngine.getName());
        ProcessEngines.registerProcessEngine(processEngine);
        try {
            calls.run();
        } finally {
            if (previous != null) {
                ProcessEngines.registerProcessEngine(previous);
            }
        }
    }

    private RequestSpecification engine(String user, String password) {
        return RestAssured.given().port(port).auth().preemptive().basic(user, password);
    }

    // ---- activation and test sends

    @Test
    @Order(9)
    void activationListsEveryProblemOfTheSeriesAndChangesNothing() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", "tier-gold"));
        settings.put("trigger", Map.of("type", "SEGMENT_ENTERED"));
        settings.put("sender", Map.of("email", "offers@shop.example"));
        List<Map<String, Object>> series = new ArrayList<>();
        series.add(with(new LinkedHashMap<>(Map.of("after", "P0D")), "smartSend", true));
        series.add(new LinkedHashMap<>(Map.of("templateId", T2)));
        series.add(with(email(T3, "P1D"), "sender", Map.of("email", "intern@shop.example", "name", "An Intern")));
        settings.put("series", series);
        settings.put("teamTask", Map.of("title", "Send a signed book", "candidateGroup", "no-such-group"));
        String id = draft(settings);

        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(422)
                .body(
                        "errors.field",
                        containsInAnyOrder(
                                "settings.variant",
                                "settings.series[0].templateId",
                                "settings.series[1].after",
                                "settings.smartSend.fallbackHour",
                                "settings.series[2].sender.email",
                                "settings.teamTask.candidateGroup"))
                .body(
                        "errors.find { it.field == 'settings.series[2].sender.email' }.message",
                        containsString("intern@shop.example is not a verified sender"));
        as(ANALYST)
                .get("/api/campaigns/{id}", id)
                .then()
                .body("state", equalTo("DRAFT"))
                .body("revision", equalTo(1));

        // a best-customer campaign without e-mails, and series settings on a template without a series
        Map<String, Object> empty = settings("STANDARD", List.of("c-1"), List.of());
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", draft(empty))
                .then()
                .statusCode(422)
                .body("errors.field", equalTo(List.of("settings.series")));
        Map<String, Object> winBack =
                new LinkedHashMap<>(settings("STANDARD", List.of("c-1"), List.of(email(T1, "P0D"))));
        winBack.put("smartSend", Map.of("fallbackHour", 9));
        winBack.put("teamTask", Map.of("title", "Call"));
        String winBackId = "best-wb-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        winBackId,
                        "name",
                        "Series on win-back",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        winBack))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", winBackId)
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("settings.variant"))
                .body("errors.field", hasItem("settings.series"))
                .body("errors.field", hasItem("settings.smartSend"))
                .body("errors.field", hasItem("settings.teamTask"));

        // fixed, it activates
        settings.put("variant", "STANDARD");
        settings.remove("audience");
        settings.put("smartSend", Map.of("fallbackHour", 10));
        series.set(0, with(email(T1, "P0D"), "smartSend", true));
        series.set(1, email(T2, "P2D"));
        series.set(2, with(email(T3, "P1D"), "sender", VP));
        settings.put("teamTask", Map.of("title", "Send a signed book"));
        as(ANALYST)
                .body(Map.of("name", "Fixed", "template", BestCustomerProcess.KEY, "settings", settings))
                .put("/api/campaigns/{id}", id)
                .then()
                .statusCode(200)
                .body("revision", equalTo(2));
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200);
    }

    @Test
    @Order(10)
    void aTestSendSendsEveryEmailOfTheSeriesFromItsSender() {
        Map<String, Object> settings = settings(
                "STANDARD",
                List.of("c-1"),
                List.of(
                        with(
                                with(email(T1, "P0D"), "sender", FOUNDER),
                                "templateData",
                                Map.of("color", "gold", "hi", "{{firstName|friend}}")),
                        with(email(T2, "P3D"), "templateData", Map.of("hi", "Dear {{firstName|friend}}")),
                        with(email(T3, "P7D"), "sender", VP)));
        String id = draft(settings);
        sendGridAccepts("sg-test");

        as(ANALYST)
                .body(Map.of("email", "qa@example.com"))
                .post("/api/campaigns/{id}/test-send", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .body(
                        "steps.step",
                        equalTo(List.of(
                                "Task_SendSeriesEmail[0]", "Task_SendSeriesEmail[1]", "Task_SendSeriesEmail[2]")))
                .body("steps.status", equalTo(List.of("SENT", "SENT", "SENT")))
                .body("steps.templateId", equalTo(List.of(T1, T2, T3)))
                .body(
                        "steps.sender.email",
                        equalTo(List.of("founder@shop.example", "founder@shop.example", "vp@shop.example")))
                .body("steps[1].name", equalTo("Send the series e-mail: e-mail 2 of 3"))
                .body("steps[0].error", nullValue());
        assertThat(sendGridRequests()).isEqualTo(3);
        sentFrom(FOUNDER, T1, "{\"color\": \"gold\", \"hi\": \"friend\"}");
        sentFrom(FOUNDER, T2, "{\"color\": \"gold\", \"hi\": \"Dear friend\"}");
        sentFrom(VP, T3, "{\"color\": \"gold\", \"hi\": \"friend\"}");

        // one e-mail of the series by its step key
        as(ANALYST)
                .body(Map.of("email", "qa@example.com", "steps", List.of("Task_SendSeriesEmail[2]")))
                .post("/api/campaigns/{id}/test-send", id)
                .then()
                .statusCode(200)
                .body("steps.step", equalTo(List.of("Task_SendSeriesEmail[2]")));
        as(ANALYST)
                .body(Map.of("email", "qa@example.com", "steps", List.of("Task_SendSeriesEmail[3]")))
                .post("/api/campaigns/{id}/test-send", id)
                .then()
                .statusCode(422)
                .body("errors.field", equalTo(List.of("steps[0]")));
        assertThat(sendGridRequests()).isEqualTo(4);
    }

    /** Runs after the others: every step of the template ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheTemplateRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(historyService, repositoryService, BestCustomerProcess.KEY);
    }
}
