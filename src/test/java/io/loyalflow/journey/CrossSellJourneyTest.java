package io.loyalflow.journey;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.journey.CrossSellProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.CrossSellProcess.Element.END_EVENT_NO_ORDER;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_READ_CUSTOMER;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_SEND_OFFER_A;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_SEND_OFFER_B;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_SPLIT_OFFER;
import static io.loyalflow.journey.CrossSellProcess.Element.TIMER_OFFER_DUE;
import static io.loyalflow.journey.CrossSellProcess.Element.TIMER_OFFER_WAIT;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.order.OrdersRecorded;
import io.loyalflow.platform.events.EventPublications;
import io.loyalflow.recommendation.RecommendationRefreshProcess;
import io.loyalflow.testsupport.FlowNodeCoverage;
import io.loyalflow.testsupport.ScheduledProcessRuns;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
 * The cross-sell offer as a campaign, through the whole service: an order over {@code POST /api/orders} enters
 * the customer; the offer waits the median time other customers took from a purchase in the order's category to
 * their next purchase in another one (seeded history), bounded by the campaign's minimum and maximum, or the
 * default wait without data; the e-mail carries the products bought by customers who bought the same (SendGrid's
 * template data), an SMS the one product; a night on the clock change defers the e-mail to the morning; an order
 * during the wait converts and nothing goes out after it, and starts the next journey; imported history enters
 * nobody; a failed, resubmitted or repeated order event enters once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossSellJourneyTest extends MessagingIntegrationTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    /** 01:30 in London on the night the clocks go back (the first 01:30, still BST): the e-mail window is shut. */
    private static final Instant CHANGE_NIGHT =
            ZonedDateTime.of(2030, 10, 27, 1, 30, 0, 0, LONDON).toInstant();
    /** The window opens at 08:00 GMT that morning, 08:00 UTC, not 07:00 UTC as it would have in BST. */
    private static final Instant WINDOW_OPENS = Instant.parse("2030-10-27T08:00:00Z");
    /** A weekday afternoon in London, inside the sending windows. */
    private static final Instant AFTERNOON = Instant.parse("2030-11-12T14:20:00Z");
    /** The median of the seeded intervals, 5 to 35 days. */
    private static final Duration MEDIAN = Duration.ofDays(20);

    private static final String OFFER_A = "d-c5000000000000000000000000000001";
    private static final String OFFER_B = "d-c5000000000000000000000000000002";
    private static final String PHONE = "+12125550123";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    EventPublications publications;

    @Autowired
    HistoryService historyService;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ApplicationEventPublisher events;

    private final List<String> campaigns = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    /** Categories and products of this test alone, so that other tests' orders change no median here. */
    private final String tents = "tents-" + run;

    private final String lamps = "lamps-" + run;
    private final String tent = "TENT-" + run;
    private final String lamp = "LAMP-" + run;

    @BeforeEach
    void providers() {
        senderVerified(true);
        sendGridAccepts("sg-" + run);
        twilioAccepts("SM" + "c".repeat(32));
    }

    /** Active cross-sell campaigns would enter the customers of every later test: each test's are paused. */
    @AfterEach
    void pauseCampaigns() {
        for (String campaign : campaigns) {
            as(ANALYST).post("/api/campaigns/{id}/pause", campaign).then().statusCode(200);
        }
    }

    // ---- set-up through the API, as a shop and an analyst would

    /** A cross-sell campaign, active; the trigger is the template's default (ORDER_PLACED). */
    private String activeCampaign(Map<String, String> waits, String arms) {
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("name", "{{firstName}}");
        offer.put("products", "{{var.recommendations}}");
        offer.put("order", "{{var.orderId}}");
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(TASK_SEND_OFFER_A.id(), Map.of("templateId", OFFER_A, "templateData", offer));
        messages.put(TASK_SEND_OFFER_B.id(), Map.of("templateId", OFFER_B, "templateData", offer));
        messages.put(
                TASK_SEND_OFFER_SMS.id(),
                Map.of(
                        "smsText",
                        "{{firstName}}, goes with your order: https://shop.example/p/{{var.smsProductsTopSku}}"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("waits", waits);
        settings.put("arms", Map.of(TASK_SPLIT_OFFER.id(), arms));
        settings.put("exitGoal", "ORDER");
        String id = "cross-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of("id", id, "name", "Cross-sell", "template", CrossSellProcess.KEY, "settings", settings))
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

    private String londoner(boolean emailConsent, boolean sms) {
        return newCustomer(
                "cross-" + UUID.randomUUID() + "@example.com", sms ? PHONE : null, "Europe/London", emailConsent, sms);
    }

    private String email(String customerId) {
        return jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customerId);
    }

    private static Map<String, Object> order(
            String orderId, String customerId, Instant placedAt, String sku, String category, String price) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", sku);
        item.put("quantity", 1);
        item.put("unitPrice", new BigDecimal(price));
        item.put("category", category);
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("orderId", orderId);
        order.put("customerId", customerId);
        order.put("placedAt", placedAt.toString());
        order.put("amount", new BigDecimal(price));
        order.put("currency", "USD");
        order.put("items", List.of(item));
        return order;
    }

    /** A tent ordered over {@code POST /api/orders} a minute ago. */
    private String tentOrder(String customerId) {
        String orderId = "o-" + UUID.randomUUID();
        as(SERVICE)
                .body(order(orderId, customerId, clock.instant().minusSeconds(60), tent, tents, "199.00"))
                .post("/api/orders")
                .then()
                .statusCode(201);
        return orderId;
    }

    private void importOrders(List<Map<String, Object>> orders) throws Exception {
        StringBuilder body = new StringBuilder();
        for (Map<String, Object> order : orders) {
            body.append(JSON.writeValueAsString(order)).append('\n');
        }
        as(SERVICE)
                .contentType("application/x-ndjson")
                .body(body.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/imports/orders")
                .then()
                .statusCode(200)
                .body("created", equalTo(orders.size()));
    }

    /**
     * Purchase history, imported: 31 customers bought a tent and, 5, 6, ... 35 days later, a lamp. The median time
     * from a tent to the next purchase in a related category is 20 days, and customers who bought a tent bought a
     * lamp.
     * Then the nightly refresh of the recommendation model runs, which the timing and the recommendations read.
     */
    private void tentsThenLamps() throws Exception {
        Instant start = clock.instant().minus(Duration.ofDays(300));
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            String customer = "cross-history-" + run + "-" + i;
            Instant tentAt = start.plus(Duration.ofHours(i));
            orders.add(order("o-" + UUID.randomUUID(), customer, tentAt, tent, tents, "199.00"));
            orders.add(order(
                    "o-" + UUID.randomUUID(), customer, tentAt.plus(Duration.ofDays(5 + i)), lamp, lamps, "39.00"));
        }
        // and ten who bought a mug only: tents and lamps go together more often than chance would have it
        for (int i = 0; i < 10; i++) {
            orders.add(order(
                    "o-" + UUID.randomUUID(),
                    "cross-mugs-" + run + "-" + i,
                    start.plus(Duration.ofDays(i)),
                    "MUG-" + run,
                    "mugs-" + run,
                    "9.00"));
        }
        importOrders(orders);
        refreshModel();
    }

    /** The nightly refresh of the recommendation model (a model older than a week is not used). */
    private void refreshModel() {
        new ScheduledProcessRuns(RecommendationRefreshProcess.KEY, managementService, historyService).fire();
    }

    private List<Map<String, Object>> enrollments(String campaign, String customerId) {
        return jdbc.queryForList(
                "select e.* from campaign_enrollment e join customer c on c.customer_key = e.customer_key "
                        + "where e.campaign_key = ? and c.customer_id = ? order by e.enrollment_key",
                campaign,
                customerId);
    }

    /** The customer's one journey in the campaign, running. */
    private ProcessInstance journey(String campaign, String customerId) {
        List<Map<String, Object>> rows = enrollments(campaign, customerId);
        assertThat(rows).as("enrollments of %s in %s", customerId, campaign).hasSize(1);
        return running((String) rows.get(0).get("process_instance_id"));
    }

    private ProcessInstance running(String instance) {
        ProcessInstance journey = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(instance)
                .singleResult();
        assertThat(journey).as("journey %s is running", instance).isNotNull();
        return journey;
    }

    private String exitOutcome(String processInstanceId) {
        return jdbc.queryForObject(
                "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                String.class,
                processInstanceId);
    }

    /** The e-mails SendGrid received for this address, in order: their template data, with the template id. */
    private List<JsonNode> emailsTo(String address) throws Exception {
        List<JsonNode> emails = new ArrayList<>();
        for (var request : PROVIDERS.findAll(postRequestedFor(urlEqualTo(SENDGRID_SEND)))) {
            JsonNode body = JSON.readTree(request.getBodyAsString());
            JsonNode personalization = body.path("personalizations").path(0);
            if (personalization.path("to").path(0).path("email").asText().equalsIgnoreCase(address)) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) personalization.path("dynamic_template_data"))
                        .put("template_id", body.path("template_id").asText());
                emails.add(personalization.path("dynamic_template_data"));
            }
        }
        return emails;
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
    void theOfferWaitsTheMedianFromPurchaseDataAndAtNightOnTheClockChangeGoesOutInTheMorningWithRelatedProducts()
            throws Exception {
        Instant orderedAt = CHANGE_NIGHT.minus(MEDIAN);
        clock.set(orderedAt);
        tentsThenLamps();
        String campaign = activeCampaign(Map.of("offerWait", "P10D"), "A:100, B:0");
        as(ANALYST)
                .get("/api/campaigns/{id}", campaign)
                .then()
                .statusCode(200)
                .body("settings.trigger.type", equalTo("ORDER_PLACED"))
                .body("settings.reentry.policy", equalTo("AFTER_EXIT"));
        String customer = londoner(true, false);
        assertThat(enrollments(campaign, customer))
                .as("a profile alone is no order")
                .isEmpty();

        String orderId = tentOrder(customer);
        ProcessInstance journey = journey(campaign, customer);
        assertThat(enrollments(campaign, customer).get(0))
                .containsEntry("entry_cause", "order")
                .containsEntry("idempotency_key", "order:" + orderId);
        assertThat(variable(journey.getId(), JourneyVariables.ORDER_ID.name())).isEqualTo(orderId);

        // the order it follows does not convert it: it waits the median, 20 days
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(TIMER_OFFER_DUE.id());
        assertThat(dueDate(journey)).isEqualTo(orderedAt.plus(MEDIAN));
        assertThat(variable(journey.getId(), "crossSellWaitSource")).isEqualTo("PURCHASE_DATA");
        assertThat(exitOutcome(journey.getId())).isNull();

        // due at 01:30 on the night the clocks go back: the offer waits for 08:00 GMT, 08:00 UTC
        clock.set(CHANGE_NIGHT);
        refreshModel();
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(TASK_SEND_OFFER_A.id());
        Map<String, Object> deferred = deliveryOf(journey, TASK_SEND_OFFER_A.id());
        assertThat(deferred).containsEntry("status", "DEFERRED").containsEntry("gate_decision", "QUIET_HOURS");
        assertThat(instant(deferred.get("retry_at"))).isEqualTo(WINDOW_OPENS);
        assertThat(emailsTo(email(customer))).isEmpty();

        clock.set(WINDOW_OPENS);
        deferredSends.resumeDue();
        runDueJobs(journey.getId());
        List<JsonNode> sent = emailsTo(email(customer));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).path("template_id").asText()).isEqualTo(OFFER_A);
        assertThat(sent.get(0).path("order").asText()).isEqualTo(orderId);
        // the customers who bought a tent bought a lamp: it comes first
        assertThat(sent.get(0).path("products").isArray()).isTrue();
        assertThat(sent.get(0).path("products").path(0).path("sku").asText()).isEqualTo(lamp);
        assertThat(sent.get(0).path("products").path(0).path("category").asText())
                .isEqualTo(lamps);

        // no order within the offer wait (10 days): the journey ends without one
        assertThat(journey).isWaitingAt(TIMER_OFFER_WAIT.id());
        assertThat(dueDate(journey)).isEqualTo(WINDOW_OPENS.plus(Duration.ofDays(10)));
        clock.set(WINDOW_OPENS.plus(Duration.ofDays(10)));
        runDueJobs(journey.getId());
        assertThat(journey).isEnded().hasPassed(END_EVENT_NO_ORDER.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("NO_ORDER");
        assertThat(emailsTo(email(customer))).hasSize(1);
    }

    @Test
    @Order(2)
    void withoutPurchaseDataTheDefaultWaitAppliesAndTheMedianIsBoundedByTheCampaignsMinimumAndMaximum()
            throws Exception {
        clock.set(AFTERNOON);
        tentsThenLamps();
        String bounded = activeCampaign(Map.of("defaultWait", "P5D", "maxWait", "P10D"), "A:50, B:50");
        String kites = londoner(true, false);
        String tents = londoner(true, false);

        // a kite: nobody's history says anything about kites
        String kiteOrder = "o-" + UUID.randomUUID();
        as(SERVICE)
                .body(order(kiteOrder, kites, AFTERNOON.minusSeconds(60), "KITE-" + run, "kites-" + run, "49.00"))
                .post("/api/orders")
                .then()
                .statusCode(201);
        ProcessInstance kite = journey(bounded, kites);
        runDueJobs(kite.getId());
        assertThat(dueDate(kite)).isEqualTo(AFTERNOON.plus(Duration.ofDays(5)));
        assertThat(variable(kite.getId(), "crossSellWaitSource")).isEqualTo("DEFAULT");

        // a tent: 20 days, more than the campaign's longest wait
        tentOrder(tents);
        ProcessInstance tent = journey(bounded, tents);
        runDueJobs(tent.getId());
        assertThat(dueDate(tent)).isEqualTo(AFTERNOON.plus(Duration.ofDays(10)));
        assertThat(variable(tent.getId(), "crossSellWaitSource")).isEqualTo("PURCHASE_DATA");

        // another campaign, whose shortest wait is longer than the median
        as(ANALYST).post("/api/campaigns/{id}/pause", bounded).then().statusCode(200);
        campaigns.remove(bounded);
        String patient = activeCampaign(Map.of("minWait", "P25D", "defaultWait", "P30D"), "A:50, B:50");
        String later = londoner(true, false);
        tentOrder(later);
        ProcessInstance waiting = journey(patient, later);
        runDueJobs(waiting.getId());
        assertThat(dueDate(waiting)).isEqualTo(AFTERNOON.plus(Duration.ofDays(25)));
    }

    @Test
    @Order(3)
    void aCustomerReachableOnlyBySmsGetsTheOneProductBySms() throws Exception {
        Instant orderedAt = AFTERNOON.plus(Duration.ofDays(30));
        clock.set(orderedAt);
        tentsThenLamps();
        String campaign = activeCampaign(Map.of(), "A:50, B:50");
        String customer = londoner(false, true);
        tentOrder(customer);
        ProcessInstance journey = journey(campaign, customer);
        runDueJobs(journey.getId());
        assertThat(dueDate(journey)).isEqualTo(orderedAt.plus(MEDIAN));
        int smsBefore = twilioRequests();

        clock.set(orderedAt.plus(MEDIAN));
        refreshModel();
        runDueJobs(journey.getId());

        assertThat(journey).hasPassed(TASK_SEND_OFFER_SMS.id()).isWaitingAt(TIMER_OFFER_WAIT.id());
        assertThat(twilioRequests()).isEqualTo(smsBefore + 1);
        PROVIDERS.verify(
                1,
                postRequestedFor(urlEqualTo(TWILIO_SEND))
                        .withRequestBody(WireMock.containing(
                                "Body=Ann%2C+goes+with+your+order%3A+https%3A%2F%2Fshop.example%2Fp%2F" + lamp)));
        assertThat(emailsTo(email(customer))).isEmpty();
    }

    @Test
    @Order(4)
    void anOrderDuringTheWaitConvertsNothingGoesOutAfterItAndItStartsTheNextOffer() throws Exception {
        Instant orderedAt = AFTERNOON.plus(Duration.ofDays(60));
        clock.set(orderedAt);
        tentsThenLamps();
        String campaign = activeCampaign(Map.of(), "A:50, B:50");
        String customer = londoner(true, false);
        tentOrder(customer);
        ProcessInstance first = journey(campaign, customer);
        runDueJobs(first.getId());
        assertThat(first).isWaitingAt(TIMER_OFFER_DUE.id());

        clock.set(orderedAt.plus(Duration.ofDays(4)));
        String second = tentOrder(customer);

        assertThat(first).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(TASK_READ_CUSTOMER.id());
        assertThat(exitOutcome(first.getId())).isEqualTo("CONVERTED");
        List<Map<String, Object>> rows = enrollments(campaign, customer);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)).containsEntry("idempotency_key", "order:" + second);
        ProcessInstance next = running((String) rows.get(1).get("process_instance_id"));
        assertThat(variable(next.getId(), JourneyVariables.ORDER_ID.name())).isEqualTo(second);
        runDueJobs(next.getId());
        assertThat(next).isWaitingAt(TIMER_OFFER_DUE.id());
        assertThat(dueDate(next)).isEqualTo(orderedAt.plus(Duration.ofDays(4)).plus(MEDIAN));

        clock.set(orderedAt.plus(Duration.ofDays(40)));
        assertThat(runDueJobs(first.getId())).isZero();
        runDueJobs(next.getId());
        assertThat(emailsTo(email(customer)))
                .as("the converted journey sent nothing; the next one offers once")
                .hasSize(1);
        assertThat(next).isWaitingAt(TIMER_OFFER_WAIT.id());
    }

    @Test
    @Order(5)
    void importedHistoryEntersNobody() throws Exception {
        clock.set(AFTERNOON.plus(Duration.ofDays(120)));
        String campaign = activeCampaign(Map.of(), "A:50, B:50");
        String customer = londoner(true, false);
        Instant now = clock.instant();
        importOrders(List.of(
                order("o-" + UUID.randomUUID(), customer, now.minus(Duration.ofDays(40)), tent, tents, "199.00"),
                order("o-" + UUID.randomUUID(), customer, now.minus(Duration.ofDays(4)), lamp, lamps, "39.00")));

        assertThat(enrollments(campaign, customer)).isEmpty();
    }

    @Test
    @Order(6)
    void aFailedEntryIsResubmittedAndEntersOnceAndARepeatedOrderOrEventNone() throws Exception {
        jdbc.update("delete from event_publication");
        Instant start = AFTERNOON.plus(Duration.ofDays(240));
        clock.set(start);
        String campaign = activeCampaign(Map.of(), "A:50, B:50");
        String customer = londoner(true, false);
        durableEvents.failNext(CrossSellEntry.LISTENER_ID, 1);

        String orderId = tentOrder(customer);
        assertThat(enrollments(campaign, customer)).as("the listener failed").isEmpty();
        assertThat(durableEvents.incomplete())
                .containsExactly(CrossSellEntry.LISTENER_ID + " <- " + OrdersRecorded.class.getName());

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
        // the shop sends the same order again
        as(SERVICE)
                .body(order(orderId, customer, start.minusSeconds(60), tent, tents, "199.00"))
                .post("/api/orders")
                .then()
                .statusCode(200);
        durableEvents.awaitCompletion();

        assertThat(enrollments(campaign, customer)).hasSize(1);
        assertThat(journey).isNotEnded();
    }

    @Test
    @Order(7)
    void armBSendsItsOwnOfferTheHoldoutGetsNoneAndACustomerWithoutConsentIsNotReached() throws Exception {
        Instant orderedAt = AFTERNOON.plus(Duration.ofDays(300));
        clock.set(orderedAt);
        String armB = activeCampaign(Map.of("defaultWait", "P3D", "offerWait", "P5D"), "A:0, B:100");
        String reached = londoner(true, false);
        String unreachable = londoner(false, false);
        tentOrder(reached);
        tentOrder(unreachable);
        ProcessInstance offered = journey(armB, reached);
        ProcessInstance notReached = journey(armB, unreachable);
        as(ANALYST).post("/api/campaigns/{id}/pause", armB).then().statusCode(200);
        campaigns.remove(armB);
        String heldOut = activeCampaign(Map.of("defaultWait", "P3D", "offerWait", "P5D"), "A:0, B:0, CONTROL:100");
        String control = londoner(true, false);
        tentOrder(control);
        ProcessInstance held = journey(heldOut, control);

        for (ProcessInstance journey : List.of(offered, notReached, held)) {
            runDueJobs(journey.getId());
        }
        clock.set(orderedAt.plus(Duration.ofDays(3)));
        for (ProcessInstance journey : List.of(offered, notReached, held)) {
            runDueJobs(journey.getId());
        }

        assertThat(emailsTo(email(reached))).hasSize(1);
        assertThat(emailsTo(email(reached)).get(0).path("template_id").asText()).isEqualTo(OFFER_B);
        assertThat(notReached).isEnded();
        assertThat(exitOutcome(notReached.getId())).isEqualTo("UNREACHABLE");
        assertThat(deliveriesOf(notReached.getId())).isEmpty();
        assertThat(held).isWaitingAt(CrossSellProcess.Element.TIMER_HOLDOUT_WAIT.id());
        assertThat(deliveriesOf(held.getId())).isEmpty();

        clock.set(orderedAt.plus(Duration.ofDays(8)));
        runDueJobs(held.getId());
        runDueJobs(offered.getId());
        assertThat(exitOutcome(held.getId())).isEqualTo("HELD_OUT");
        assertThat(exitOutcome(offered.getId())).isEqualTo("NO_ORDER");
        assertThat(emailsTo(email(control))).isEmpty();
    }

    /** Runs after the others: every step of the template ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheTemplateRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(historyService, repositoryService, CrossSellProcess.KEY);
    }
}
