package io.loyalflow.journey;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.journey.JourneyVariables.FIRST_ORDER_CATEGORY;
import static io.loyalflow.journey.JourneyVariables.FIRST_ORDER_ID;
import static io.loyalflow.journey.WelcomeProcess.Element.END_EVENT_COMPLETED;
import static io.loyalflow.journey.WelcomeProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.WelcomeProcess.Element.END_EVENT_NOT_FIRST_ORDER;
import static io.loyalflow.journey.WelcomeProcess.Element.EVENT_ADVICE_DELAY;
import static io.loyalflow.journey.WelcomeProcess.Element.EVENT_SECOND_ORDER_WAIT_OVER;
import static io.loyalflow.journey.WelcomeProcess.Element.TASK_SEND_ADVICE;
import static io.loyalflow.journey.WelcomeProcess.Element.TASK_SEND_INCENTIVE;
import static io.loyalflow.journey.WelcomeProcess.Element.TASK_SEND_THANK_YOU;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.CustomerRegistered;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.order.OrdersRecorded;
import io.loyalflow.platform.events.EventPublications;
import io.loyalflow.testsupport.CampaignEntryRuns;
import io.loyalflow.testsupport.FlowNodeCoverage;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The welcome programme as a campaign, through the whole service: a new customer's first order over
 * {@code POST /api/orders} is thanked, advised by the first order's main category after the advice delay
 * and given the second-purchase incentive when no second order comes; a second order converts; nobody is
 * welcomed twice; imported history makes nobody new, and history arriving after the journey began ends it
 * as NOT_FIRST_ORDER; the NEW_PROFILE variant; a failed and resubmitted event starts one journey.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WelcomeJourneyTest extends MessagingIntegrationTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    /** 01:30 in London on the night the clocks go back (the first 01:30, still BST): the e-mail window is shut. */
    private static final Instant CHANGE_NIGHT =
            ZonedDateTime.of(2030, 10, 27, 1, 30, 0, 0, LONDON).toInstant();
    /** The window opens at 08:00 GMT that morning, 08:00 UTC, not 07:00 UTC as it would have in BST. */
    private static final Instant WINDOW_OPENS = Instant.parse("2030-10-27T08:00:00Z");
    /** A weekday afternoon in London, inside the e-mail window. */
    private static final Instant AFTERNOON = Instant.parse("2030-11-12T14:20:00Z");

    private static final String THANK_YOU = "d-7a000000000000000000000000000001";
    private static final String GENERAL_ADVICE = "d-7a000000000000000000000000000002";
    private static final String INCENTIVE = "d-7a000000000000000000000000000003";
    private static final String SHOES_ADVICE = "d-55555555555555555555555555555551";
    private static final String NDJSON = "application/x-ndjson";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    HistoryService historyService;

    @Autowired
    EventPublications publications;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ApplicationEventPublisher events;

    private final List<String> campaigns = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void providers() {
        senderVerified(true);
        sendGridAccepts("sg-" + run);
    }

    /** Active welcome campaigns would welcome the customers of every later test: each test's are paused. */
    @AfterEach
    void pauseCampaigns() {
        for (String campaign : campaigns) {
            as(ANALYST).post("/api/campaigns/{id}/pause", campaign).then().statusCode(200);
        }
    }

    // ---- set-up through the API, as a shop and an analyst would

    private Map<String, Object> settings(String trigger) {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                TASK_SEND_THANK_YOU.id(),
                Map.of("templateId", THANK_YOU, "templateData", Map.of("name", "{{firstName}}")));
        messages.put(TASK_SEND_ADVICE.id(), Map.of("templateId", GENERAL_ADVICE));
        messages.put(
                TASK_SEND_INCENTIVE.id(), Map.of("templateId", INCENTIVE, "templateData", Map.of("code", "AGAIN10")));
        Map<String, Object> settings = new LinkedHashMap<>();
        if (trigger != null) {
            settings.put("trigger", Map.of("type", trigger));
        }
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("exitGoal", "ORDER");
        return settings;
    }

    /** A welcome campaign, active; {@code trigger} null: the template's default (FIRST_ORDER). */
    private String activeCampaign(String trigger) {
        String id = "welcome-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id", id, "name", "Welcome", "template", WelcomeProcess.KEY, "settings", settings(trigger)))
                .post("/api/campaigns")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(201);
        campaigns.add(id);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
        return id;
    }

    private String londoner(boolean emailConsent) {
        return newCustomer("welcome-" + UUID.randomUUID() + "@example.com", null, "Europe/London", emailConsent, false);
    }

    private String email(String customerId) {
        return jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customerId);
    }

    private static Map<String, Object> item(String sku, String category, int quantity, String unitPrice) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", sku);
        item.put("quantity", quantity);
        item.put("unitPrice", new BigDecimal(unitPrice));
        if (category != null) {
            item.put("category", category);
        }
        return item;
    }

    private static Map<String, Object> order(
            String orderId, String customerId, Instant placedAt, List<Map<String, Object>> items) {
        BigDecimal amount = items.stream()
                .map(i -> ((BigDecimal) i.get("unitPrice")).multiply(BigDecimal.valueOf((Integer) i.get("quantity"))))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("orderId", orderId);
        order.put("customerId", customerId);
        order.put("placedAt", placedAt.toString());
        order.put("amount", amount);
        order.put("currency", "USD");
        order.put("items", items);
        return order;
    }

    /** An order over {@code POST /api/orders}: a pair of shoes (80) and three pairs of socks (15), placed a minute ago. */
    private String shoesOrder(String customerId) {
        String orderId = "o-" + UUID.randomUUID();
        as(SERVICE)
                .body(order(
                        orderId,
                        customerId,
                        clock.instant().minusSeconds(60),
                        List.of(item("SHOE-" + run, "shoes", 1, "80.00"), item("SOCK-" + run, "socks", 3, "5.00"))))
                .post("/api/orders")
                .then()
                .statusCode(201);
        return orderId;
    }

    /** Orders imported as NDJSON over {@code POST /api/imports/orders}. */
    private void importOrders(List<Map<String, Object>> orders) throws Exception {
        StringBuilder body = new StringBuilder();
        for (Map<String, Object> order : orders) {
            body.append(JSON.writeValueAsString(order)).append('\n');
        }
        as(SERVICE)
                .contentType(NDJSON)
                .body(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/imports/orders")
                .then()
                .statusCode(200)
                .body("created", equalTo(orders.size()));
    }

    private List<Map<String, Object>> enrollments(String campaign, String customerId) {
        return jdbc.queryForList(
                "select e.* from campaign_enrollment e join customer c on c.customer_key = e.customer_key "
                        + "where e.campaign_key = ? and c.customer_id = ? order by e.enrollment_key",
                campaign,
                customerId);
    }

    private ProcessInstance journey(String campaign, String customerId) {
        List<Map<String, Object>> rows = enrollments(campaign, customerId);
        assertThat(rows).as("enrollments of %s in %s", customerId, campaign).hasSize(1);
        String instance = (String) rows.get(0).get("process_instance_id");
        ProcessInstance journey = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(instance)
                .singleResult();
        assertThat(journey).as("journey %s is running", instance).isNotNull();
        assertThat(journey.getBusinessKey()).isEqualTo(campaign + ":" + customerId);
        return journey;
    }

    private String exitOutcome(String processInstanceId) {
        return jdbc.queryForObject(
                "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                String.class,
                processInstanceId);
    }

    /** The SendGrid templates of the e-mails SendGrid received for this address, in order. */
    private List<String> emailsTo(String address) throws Exception {
        List<String> templates = new ArrayList<>();
        for (var request : PROVIDERS.findAll(postRequestedFor(urlEqualTo(SENDGRID_SEND)))) {
            JsonNode body = JSON.readTree(request.getBodyAsString());
            if (body.path("personalizations")
                    .path(0)
                    .path("to")
                    .path(0)
                    .path("email")
                    .asText()
                    .equalsIgnoreCase(address)) {
                templates.add(body.path("template_id").asText());
            }
        }
        return templates;
    }

    private Map<String, Object> deliveryOf(ProcessInstance journey, String task) {
        return deliveriesOf(journey.getId()).stream()
                .filter(d -> String.valueOf(d.get("step_key")).contains(task))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no delivery of " + task));
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        return ((OffsetDateTime) value).toInstant();
    }

    private Instant dueDate(ProcessInstance journey) {
        return onlyJob(journey.getId()).getDuedate().toInstant();
    }

    // ---- the tests

    @Test
    @Order(1)
    void aFirstOrderAtNightIsThankedWhenTheWindowOpensAdvisedByCategoryAndGivenTheIncentiveWithoutASecondOrder()
            throws Exception {
        clock.set(CHANGE_NIGHT);
        String campaign = activeCampaign(null);
        as(ANALYST)
                .get("/api/campaigns/{id}", campaign)
                .then()
                .statusCode(200)
                .body("settings.trigger.type", equalTo("FIRST_ORDER"))
                .body("settings.reentry.policy", equalTo("ONCE"));
        String customer = londoner(true);
        assertThat(enrollments(campaign, customer))
                .as("a profile alone is no first order")
                .isEmpty();

        String firstOrder = shoesOrder(customer);
        ProcessInstance journey = journey(campaign, customer);
        assertThat(variable(journey.getId(), FIRST_ORDER_ID.name())).isEqualTo(firstOrder);
        // shoes 80.00 against socks 15.00: the main category is the one spent most on
        assertThat(variable(journey.getId(), FIRST_ORDER_CATEGORY.name())).isEqualTo("shoes");
        assertThat(enrollments(campaign, customer).get(0)).containsEntry("entry_cause", "first-order");
        // the scheduled campaign entry leaves welcome campaigns to their events
        assertThat(new CampaignEntryRuns(managementService, historyService)
                        .fire()
                        .of(campaign))
                .isEmpty();

        // 01:30 on the night the clocks go back: the thank-you waits for 08:00 GMT, 08:00 UTC
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(TASK_SEND_THANK_YOU.id());
        Map<String, Object> deferred = deliveryOf(journey, TASK_SEND_THANK_YOU.id());
        assertThat(deferred).containsEntry("status", "DEFERRED").containsEntry("gate_decision", "QUIET_HOURS");
        assertThat(instant(deferred.get("retry_at"))).isEqualTo(WINDOW_OPENS);
        assertThat(emailsTo(email(customer))).isEmpty();
        clock.set(WINDOW_OPENS);
        deferredSends.resumeDue();
        runDueJobs(journey.getId());
        assertThat(emailsTo(email(customer))).containsExactly(THANK_YOU);

        // the advice three days later, chosen by the welcome-advice table for shoes
        assertThat(journey).isWaitingAt(EVENT_ADVICE_DELAY.id());
        assertThat(dueDate(journey)).isEqualTo(WINDOW_OPENS.plus(Duration.ofDays(3)));
        clock.set(WINDOW_OPENS.plus(Duration.ofDays(3)));
        runDueJobs(journey.getId());
        assertThat(emailsTo(email(customer))).containsExactly(THANK_YOU, SHOES_ADVICE);

        // no second order within 30 days: the incentive, and the journey is complete
        assertThat(journey).isWaitingAt(EVENT_SECOND_ORDER_WAIT_OVER.id());
        Instant incentiveDue = WINDOW_OPENS.plus(Duration.ofDays(33));
        assertThat(dueDate(journey)).isEqualTo(incentiveDue);
        clock.set(incentiveDue.minusSeconds(1));
        assertThat(runDueJobs(journey.getId())).isZero();
        clock.set(incentiveDue);
        runDueJobs(journey.getId());
        assertThat(journey).isEnded().hasPassed(TASK_SEND_INCENTIVE.id(), END_EVENT_COMPLETED.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("COMPLETED");
        assertThat(emailsTo(email(customer))).containsExactly(THANK_YOU, SHOES_ADVICE, INCENTIVE);

        // a first order happens once: a later order never welcomes the customer again
        clock.set(incentiveDue.plus(Duration.ofDays(200)));
        shoesOrder(customer);
        assertThat(enrollments(campaign, customer)).hasSize(1);
    }

    @Test
    @Order(2)
    void aSecondOrderEndsTheJourneyAsConvertedAndNothingMoreIsSent() throws Exception {
        clock.set(AFTERNOON);
        String campaign = activeCampaign(null);
        String customer = londoner(true);
        String firstOrder = "o-" + UUID.randomUUID();
        as(SERVICE)
                .body(order(
                        firstOrder,
                        customer,
                        AFTERNOON.minusSeconds(30),
                        List.of(item("GIFT-" + run, null, 1, "25.00"))))
                .post("/api/orders")
                .then()
                .statusCode(201);
        ProcessInstance journey = journey(campaign, customer);
        assertThat(variable(journey.getId(), FIRST_ORDER_CATEGORY.name()))
                .as("no category sent")
                .isEqualTo("");
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(EVENT_ADVICE_DELAY.id());

        clock.set(AFTERNOON.plus(Duration.ofDays(1)));
        shoesOrder(customer);
        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_CONVERTED.id())
                .hasNotPassed(TASK_SEND_ADVICE.id(), END_EVENT_NOT_FIRST_ORDER.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("CONVERTED");

        clock.set(AFTERNOON.plus(Duration.ofDays(40)));
        runDueJobs(journey.getId());
        assertThat(emailsTo(email(customer))).containsExactly(THANK_YOU);
        assertThat(enrollments(campaign, customer)).hasSize(1);
    }

    @Test
    @Order(3)
    void anImportOfOldOrdersMakesNobodyNewAndNeitherDoesTheirNextOrder() throws Exception {
        clock.set(AFTERNOON.plus(Duration.ofDays(60)));
        String campaign = activeCampaign(null);
        String customer = londoner(true);
        String otherCustomer = londoner(true);
        Instant now = clock.instant();

        importOrders(List.of(
                order(
                        "o-" + UUID.randomUUID(),
                        customer,
                        now.minus(Duration.ofDays(400)),
                        List.of(item("A", "shoes", 1, "50.00"))),
                order(
                        "o-" + UUID.randomUUID(),
                        customer,
                        now.minus(Duration.ofDays(120)),
                        List.of(item("B", "books", 1, "12.00"))),
                // a customer's only order, but months old: history, not a first order today
                order(
                        "o-" + UUID.randomUUID(),
                        otherCustomer,
                        now.minus(Duration.ofDays(90)),
                        List.of(item("C", "books", 1, "9.00")))));
        assertThat(enrollments(campaign, customer)).isEmpty();
        assertThat(enrollments(campaign, otherCustomer)).isEmpty();

        clock.set(now.plus(Duration.ofDays(2)));
        shoesOrder(customer);
        assertThat(enrollments(campaign, customer))
                .as("a customer with history is not new")
                .isEmpty();
        assertThat(emailsTo(email(customer))).isEmpty();
    }

    @Test
    @Order(4)
    void olderHistoryArrivingAfterTheWelcomeBeganEndsTheJourneyAsNotAFirstOrder() throws Exception {
        clock.set(AFTERNOON.plus(Duration.ofDays(120)));
        String campaign = activeCampaign(null);
        String customer = londoner(true);
        shoesOrder(customer);
        ProcessInstance journey = journey(campaign, customer);
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(EVENT_ADVICE_DELAY.id());
        assertThat(emailsTo(email(customer))).containsExactly(THANK_YOU);

        // the shop imports its history a day later: the customer bought a year ago
        clock.advance(Duration.ofDays(1));
        String older = "o-" + UUID.randomUUID();
        importOrders(List.of(order(
                older,
                customer,
                clock.instant().minus(Duration.ofDays(365)),
                List.of(item("D", "books", 1, "20.00")))));

        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_NOT_FIRST_ORDER.id())
                .hasNotPassed(END_EVENT_CONVERTED.id(), TASK_SEND_ADVICE.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("NOT_FIRST_ORDER");
        assertThat(processEngine
                        .getHistoryService()
                        .createHistoricVariableInstanceQuery()
                        .processInstanceId(journey.getId())
                        .variableName(JourneyVariables.EARLIER_ORDER_ID.name())
                        .singleResult()
                        .getValue())
                .isEqualTo(older);
        clock.advance(Duration.ofDays(40));
        assertThat(runDueJobs(journey.getId())).isZero();
        assertThat(emailsTo(email(customer))).containsExactly(THANK_YOU);
    }

    @Test
    @Order(5)
    void theNewProfileVariantWelcomesNewProfilesWithEmailConsentAndTheFirstOrderConverts() throws Exception {
        clock.set(AFTERNOON.plus(Duration.ofDays(180)));
        String campaign = activeCampaign("NEW_PROFILE");
        String optedIn = londoner(true);
        String optedOut = londoner(false);
        // a bare customer an order creates is no new profile
        String bare = "c-" + UUID.randomUUID();
        shoesOrder(bare);

        assertThat(enrollments(campaign, optedOut)).isEmpty();
        assertThat(enrollments(campaign, bare)).isEmpty();
        ProcessInstance journey = journey(campaign, optedIn);
        assertThat(enrollments(campaign, optedIn).get(0)).containsEntry("entry_cause", "new-profile");
        assertThat(variable(journey.getId(), FIRST_ORDER_ID.name())).isEqualTo("");
        runDueJobs(journey.getId());
        assertThat(emailsTo(email(optedIn))).containsExactly(THANK_YOU);
        clock.advance(Duration.ofDays(3));
        runDueJobs(journey.getId());
        assertThat(emailsTo(email(optedIn)))
                .as("no category: the campaign's advice")
                .containsExactly(THANK_YOU, GENERAL_ADVICE);

        clock.advance(Duration.ofDays(2));
        shoesOrder(optedIn);
        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("CONVERTED");
        assertThat(durableEvents.published(CustomerRegistered.class)).hasSize(2);
    }

    @Test
    @Order(6)
    void aFailedEntryIsResubmittedAndStartsOneJourneyAndARepeatedEventNone() throws Exception {
        jdbc.update("delete from event_publication");
        Instant start = AFTERNOON.plus(Duration.ofDays(240));
        clock.set(start);
        String campaign = activeCampaign(null);
        String customer = londoner(true);
        durableEvents.failNext(WelcomeEntry.FIRST_ORDER_LISTENER_ID, 1);

        shoesOrder(customer);
        assertThat(enrollments(campaign, customer)).as("the listener failed").isEmpty();
        assertThat(durableEvents.incomplete())
                .containsExactly(WelcomeEntry.FIRST_ORDER_LISTENER_ID + " <- " + OrdersRecorded.class.getName());

        clock.set(start.plus(Duration.ofMinutes(3)));
        assertThat(publications.resubmitStale()).isEqualTo(1);
        durableEvents.awaitCompletion();
        ProcessInstance journey = journey(campaign, customer);

        // the same fact again (two nodes at once, a late resubmission): still one journey
        OrdersRecorded recorded = durableEvents.published(OrdersRecorded.class).get(0);
        transactions.executeWithoutResult(tx -> events.publishEvent(recorded));
        transactions.executeWithoutResult(tx -> events.publishEvent(recorded));
        durableEvents.awaitSettled();
        // Spring Modulith tracks a publication in progress by its event and listener, so of two identical events in
        // flight at once one publication may be left incomplete; the scheduled resubmission hands it to the listener
        // again, which finds the journey already entered
        clock.set(start.plus(Duration.ofMinutes(6)));
        publications.resubmitStale();
        durableEvents.awaitCompletion();
        assertThat(enrollments(campaign, customer)).hasSize(1);
        runDueJobs(journey.getId());
        assertThat(emailsTo(email(customer))).containsExactly(THANK_YOU);
    }

    @Test
    @Order(7)
    void theWelcomeTemplateEntersOnceByFirstOrderOrNewProfileOnly() {
        Map<String, Object> everyWeek = settings(null);
        everyWeek.put("reentry", Map.of("policy", "AFTER_EXIT"));
        as(ADMIN)
                .body(Map.of(
                        "id",
                        "welcome-" + run,
                        "name",
                        "Welcome",
                        "template",
                        WelcomeProcess.KEY,
                        "settings",
                        everyWeek))
                .post("/api/campaigns")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("settings.reentry"));

        Map<String, Object> recurring = settings(null);
        recurring.put("trigger", Map.of("type", "API_ONLY"));
        recurring.put("reentry", Map.of("policy", "ONCE"));
        as(ADMIN)
                .body(Map.of(
                        "id",
                        "welcome-" + run,
                        "name",
                        "Welcome",
                        "template",
                        WelcomeProcess.KEY,
                        "settings",
                        recurring))
                .post("/api/campaigns")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("settings.trigger.type"));

        Map<String, Object> maxAge = settings(null);
        maxAge.put("trigger", Map.of("type", "NEW_PROFILE", "firstOrderMaxAge", "P1D"));
        as(ADMIN)
                .body(Map.of(
                        "id", "welcome-" + run, "name", "Welcome", "template", WelcomeProcess.KEY, "settings", maxAge))
                .post("/api/campaigns")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("settings.trigger.firstOrderMaxAge"));
    }

    /** Runs after the others: every step of the template ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheTemplateRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(historyService, repositoryService, WelcomeProcess.KEY);
    }
}
