package io.loyalflow.journey;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_CHECKED_OUT;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_CLEARED;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_HELD_OUT;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_REMINDED_BY_EMAIL;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_REMINDED_BY_SMS;
import static io.loyalflow.journey.AbandonedCartProcess.Element.START_EVENT_CART_UPDATED;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TASK_SEND_REMINDER_A;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TASK_SEND_REMINDER_B;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TASK_SEND_SMS_REMINDER;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TASK_SPLIT_REMINDER;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TIMER_CART_ABANDONED;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TIMER_SMS_DELAY;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.experiment.ExperimentOutcomes;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.testsupport.FlowNodeCoverage;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
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
 * The abandoned-cart template as a campaign, through the whole service: carts PUT over HTTP, the cart sweep
 * entering, restarting, replacing and closing journeys, the reminder e-mail (its template data carrying the
 * cart's items, as SendGrid receives it) and the SMS (only with consent, deferred to the customer's window),
 * orders, cleared carts and completed checkouts ending journeys with nothing sent after, the report
 * attributing an order to the reminder's arm. The clock starts at 23:30 in New York the night the clocks go
 * back (Sunday 2031-11-02, 02:00 EDT → 01:00 EST).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AbandonedCartJourneyTest extends MessagingIntegrationTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** Saturday 23:30 EDT, the night before the clocks go back: 03:30 UTC. */
    private static final Instant NIGHT =
            LocalDateTime.parse("2031-11-01T23:30:00").atZone(NEW_YORK).toInstant();
    /** 08:00 EST on Sunday: the e-mail and SMS windows open. */
    private static final Instant SUNDAY_MORNING =
            LocalDateTime.parse("2031-11-02T08:00:00").atZone(NEW_YORK).toInstant();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CartJourneys cartJourneys;

    @Autowired
    HistoryService historyService;

    @Autowired
    ExperimentOutcomes outcomes;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void night() {
        clock.set(NIGHT);
        senderVerified(true);
        sendGridAccepts("sg-cart-" + run);
        twilioAccepts("SM" + "a".repeat(32));
        cartJourneys.sweep(); // carts other tests left pending
    }

    // ---- the shop

    private Map<String, Object> item(String sku, String name, int quantity, String unitPrice) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", sku);
        item.put("name", name);
        item.put("quantity", quantity);
        item.put("unitPrice", new BigDecimal(unitPrice));
        item.put("category", "shoes");
        item.put("productUrl", "https://shop.example/p/" + sku);
        item.put("imageUrl", "https://cdn.shop.example/" + sku + ".jpg");
        return item;
    }

    private Response putCart(String cartId, String customerId, Instant updatedAt, List<Map<String, Object>> items) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (customerId != null) {
            body.put("customerId", customerId);
        }
        body.put("items", items);
        body.put("currency", "USD");
        body.put("updatedAt", updatedAt.toString());
        body.put("cartUrl", "https://shop.example/cart/" + cartId);
        return as(SERVICE).body(body).put("/api/carts/{id}", cartId);
    }

    private void cart(String cartId, String customerId, Instant updatedAt, List<Map<String, Object>> items) {
        putCart(cartId, customerId, updatedAt, items).then().statusCode(200).body("applied", equalTo(true));
    }

    private void cartEvent(String cartId, String event, Instant at) {
        as(SERVICE)
                .body(Map.of("at", at.toString()))
                .post("/api/carts/{id}/" + event, cartId)
                .then()
                .statusCode(200);
    }

    private String shopper(boolean smsConsent) {
        return newCustomer(
                "cart-" + UUID.randomUUID() + "@example.com", "+12125550147", "America/New_York", true, smsConsent);
    }

    private String cartId() {
        return "cart-" + UUID.randomUUID();
    }

    // ---- the campaign

    private String activeCampaign(String arms) {
        Map<String, Object> messages = new LinkedHashMap<>();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "{{firstName}}");
        data.put("items", "{{var.cartItems}}");
        data.put("cartUrl", "{{var.cartUrl}}");
        data.put("total", "{{var.cartTotal}}");
        messages.put(TASK_SEND_REMINDER_A.id(), Map.of("templateId", TEMPLATE, "templateData", data));
        Map<String, Object> incentive = new LinkedHashMap<>(data);
        incentive.put("code", "CART10");
        messages.put(TASK_SEND_REMINDER_B.id(), Map.of("templateId", TEMPLATE, "templateData", incentive));
        messages.put(
                TASK_SEND_SMS_REMINDER.id(), Map.of("smsText", "{{firstName}}, your cart is waiting: {{var.cartUrl}}"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "CART_UPDATED"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("reminderDelay", "PT4H", "smsDelay", "P1D"));
        settings.put("arms", Map.of(TASK_SPLIT_REMINDER.id(), arms));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        String id = "carts-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Abandoned carts",
                        "template",
                        AbandonedCartProcess.KEY,
                        "settings",
                        settings))
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
        // one cart campaign at a time in this class: the others' are paused, so they enter nobody here
        jdbc.queryForList(
                        "select campaign_key from campaign where state = 'ACTIVE' and template = ? and campaign_key <> ?",
                        String.class,
                        AbandonedCartProcess.KEY,
                        id)
                .forEach(other -> as(ANALYST)
                        .post("/api/campaigns/{id}/pause", other)
                        .then()
                        .statusCode(200));
        return id;
    }

    // ---- journeys

    private List<Map<String, Object>> enrollments(String campaign, String cartId) {
        return jdbc.queryForList(
                "select process_instance_id, exit_outcome, entry_cause from campaign_enrollment "
                        + "where campaign_key = ? and idempotency_key = ?",
                campaign,
                "cart:" + cartId);
    }

    private String instanceOf(String campaign, String cartId) {
        List<Map<String, Object>> rows = enrollments(campaign, cartId);
        assertThat(rows).as("the journey of cart %s", cartId).hasSize(1);
        return (String) rows.get(0).get("process_instance_id");
    }

    /** The cart's running journey. */
    private ProcessInstance journey(String campaign, String cartId) {
        ProcessInstance running = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(instanceOf(campaign, cartId))
                .singleResult();
        assertThat(running).as("the journey of cart %s runs", cartId).isNotNull();
        return running;
    }

    private String exitOutcome(String processInstanceId) {
        return jdbc.queryForObject(
                "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                String.class,
                processInstanceId);
    }

    private long timesReached(String processInstanceId, String activityId) {
        return historyService
                .createHistoricActivityInstanceQuery()
                .processInstanceId(processInstanceId)
                .activityId(activityId)
                .count();
    }

    private List<JsonNode> sentTemplateData() throws Exception {
        List<JsonNode> data = new ArrayList<>();
        for (var request : PROVIDERS.findAll(postRequestedFor(urlEqualTo(SENDGRID_SEND)))) {
            data.add(JSON.readTree(request.getBodyAsString())
                    .path("personalizations")
                    .get(0)
                    .path("dynamic_template_data"));
        }
        return data;
    }

    private Map<CartJourneys.Result, Integer> sweep() {
        return cartJourneys.sweep();
    }

    private void engageOpen(String deliveryId, String email, Instant at) {
        String json = "{\"email\":\"" + email + "\",\"timestamp\":" + at.getEpochSecond()
                + ",\"event\":\"open\",\"sg_event_id\":\"" + UUID.randomUUID() + "\",\"sg_message_id\":\"msg-"
                + deliveryId + ".filter0001\",\"loyalflow_delivery_id\":\"" + deliveryId + "\"}";
        postSendGridEvents("[" + json + "]").then().statusCode(200);
        applyWebhookEvents();
    }

    // ---- the tests

    @Test
    @Order(1)
    void updatesRestartTheWaitTheReminderCarriesTheCartAndTheSmsWaitsForTheMorning() throws Exception {
        String campaign = activeCampaign("A:100, B:0");
        String customer = shopper(true);
        String cartId = cartId();
        cart(cartId, customer, NIGHT, List.of(item("BOOT-1", "Trail boots", 1, "89.00")));
        assertThat(sweep()).containsEntry(CartJourneys.Result.ENTERED, 1);
        ProcessInstance journey = journey(campaign, cartId);
        assertThat(journey).isWaitingAt(TIMER_CART_ABANDONED.id());
        assertThat(enrollments(campaign, cartId).get(0)).containsEntry("entry_cause", "cart:" + cartId);

        // 20 minutes later (23:50 EDT) another pair of socks; then the shop resends an older state, late
        Instant lastUpdate = NIGHT.plus(Duration.ofMinutes(20));
        clock.set(lastUpdate);
        cart(
                cartId,
                customer,
                lastUpdate,
                List.of(item("BOOT-1", "Trail boots", 1, "89.00"), item("SOCK-2", "Wool socks", 2, "12.50")));
        putCart(cartId, customer, NIGHT.plus(Duration.ofMinutes(5)), List.of(item("BOOT-1", "Trail boots", 1, "89.00")))
                .then()
                .statusCode(200)
                .body("applied", equalTo(false));
        assertThat(sweep()).containsEntry(CartJourneys.Result.RESTARTED, 1).hasSize(1);
        assertThat(sweep())
                .as("the late update changed nothing: nothing to hand on")
                .isEmpty();
        assertThat(timesReached(journey.getId(), START_EVENT_CART_UPDATED.id())).isEqualTo(1);
        assertThat(variable(journey.getId(), JourneyVariables.CART_UPDATED_AT.name()))
                .isEqualTo(lastUpdate.toString());

        // four hours after the first update, not after the last: nothing goes out, the journey waits again
        clock.set(NIGHT.plus(Duration.ofHours(4)));
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(TIMER_CART_ABANDONED.id());
        assertThat(sendGridRequests()).isZero();

        // four hours after the last update: 02:50 EST, after the clocks went back; the e-mail waits for 08:00
        clock.set(lastUpdate.plus(Duration.ofHours(4)));
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(TASK_SEND_REMINDER_A.id());
        assertThat(sendGridRequests()).isZero();
        assertThat(deliveriesOf(journey.getId()))
                .singleElement()
                .satisfies(d -> assertThat(d).containsEntry("gate_decision", "QUIET_HOURS"));
        clock.set(SUNDAY_MORNING);
        deferredSends.resumeDue();
        runDueJobs(journey.getId());
        assertThat(sendGridRequests()).isEqualTo(1);
        JsonNode data = sentTemplateData().get(0);
        assertThat(data.path("cartUrl").asText()).isEqualTo("https://shop.example/cart/" + cartId);
        assertThat(data.path("total").asText()).isEqualTo("114.00");
        JsonNode items = data.path("items");
        assertThat(items.isArray())
                .as("the items reach SendGrid as an array: %s", data)
                .isTrue();
        assertThat(items.findValuesAsText("name")).containsExactly("Trail boots", "Wool socks");
        assertThat(items.get(1).path("quantity").asInt()).isEqualTo(2);
        assertThat(items.get(1).path("imageUrl").asText()).isEqualTo("https://cdn.shop.example/SOCK-2.jpg");
        assertThat(items.get(1).path("productUrl").asText()).isEqualTo("https://shop.example/p/SOCK-2");
        assertThat(journey).isWaitingAt(TIMER_SMS_DELAY.id());

        // a day after the reminder was due: 02:50 EST on Monday; the SMS waits for 08:00
        clock.set(lastUpdate.plus(Duration.ofHours(4)).plus(Duration.ofDays(1)));
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(TASK_SEND_SMS_REMINDER.id());
        assertThat(twilioRequests()).isZero();
        clock.set(SUNDAY_MORNING.plus(Duration.ofDays(1)));
        deferredSends.resumeDue();
        runDueJobs(journey.getId());
        assertThat(twilioRequests()).isEqualTo(1);
        assertThat(journey).isEnded().hasPassed(END_EVENT_REMINDED_BY_SMS.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("REMINDED_BY_SMS");
        assertThat(sendGridRequests()).as("the reminder went out once").isEqualTo(1);
    }

    @Test
    @Order(2)
    void withoutSmsConsentTheReminderIsTheOnlyMessage() {
        String campaign = activeCampaign("A:0, B:100");
        String customer = shopper(false);
        String cartId = cartId();
        clock.set(SUNDAY_MORNING);
        cart(cartId, customer, SUNDAY_MORNING, List.of(item("HAT-1", "Rain hat", 1, "30.00")));
        sweep();
        ProcessInstance journey = journey(campaign, cartId);

        clock.set(SUNDAY_MORNING.plus(Duration.ofHours(4)));
        runDueJobs(journey.getId());
        clock.set(SUNDAY_MORNING.plus(Duration.ofHours(4)).plus(Duration.ofDays(1)));
        runDueJobs(journey.getId());

        assertThat(journey)
                .isEnded()
                .hasPassed(TASK_SEND_REMINDER_B.id(), END_EVENT_REMINDED_BY_EMAIL.id())
                .hasNotPassed(TASK_SEND_SMS_REMINDER.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("REMINDED_BY_EMAIL");
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(twilioRequests()).isZero();
        assertThat(deliveriesOf(journey.getId()))
                .extracting(d -> d.get("activity_id"))
                .containsExactly(TASK_SEND_REMINDER_B.id());
    }

    @Test
    @Order(3)
    void anOrderAfterTheReminderConvertsTheJourneyAndTheReportAttributesItToTheArm() {
        String campaign = activeCampaign("A:100, B:0");
        String customer = shopper(true);
        String cartId = cartId();
        clock.set(SUNDAY_MORNING);
        cart(cartId, customer, SUNDAY_MORNING, List.of(item("BOOT-1", "Trail boots", 1, "89.00")));
        sweep();
        ProcessInstance journey = journey(campaign, cartId);
        clock.set(SUNDAY_MORNING.plus(Duration.ofHours(4)));
        runDueJobs(journey.getId());
        assertThat(sendGridRequests()).isEqualTo(1);
        String reminder = (String) deliveriesOf(journey.getId()).get(0).get("delivery_id");
        String email = jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customer);
        engageOpen(reminder, email, clock.instant().plus(Duration.ofMinutes(10)));

        clock.set(SUNDAY_MORNING.plus(Duration.ofHours(5)));
        placeOrder(customer, clock.instant().minusSeconds(30), "89.00");

        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(TASK_SEND_SMS_REMINDER.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("CONVERTED");
        // the order closed the cart too; its journey is over, so the sweep has nobody to tell
        assertThat(sweep()).containsOnlyKeys(CartJourneys.Result.NOTHING);
        assertThat(outcomes.outcomes(campaign, campaign + ":reminder").get("A"))
                .isEqualTo(new ExperimentOutcomes.ArmOutcome(1, 1, 1, 0, 1, new BigDecimal("89.00")));
        clock.set(SUNDAY_MORNING.plus(Duration.ofDays(2)));
        assertThat(runDueJobs(journey.getId())).isZero();
        assertThat(twilioRequests()).isZero();
    }

    @Test
    @Order(4)
    void aClearedCartAndACompletedCheckoutEndTheJourneyWithNothingSentAfter() {
        String campaign = activeCampaign("A:100, B:0");
        String cleared = cartId();
        String checkedOut = cartId();
        String clearing = shopper(true);
        String buying = shopper(true);
        cart(cleared, clearing, NIGHT, List.of(item("BOOT-1", "Trail boots", 1, "89.00")));
        cart(checkedOut, buying, NIGHT, List.of(item("BOOT-1", "Trail boots", 1, "89.00")));
        assertThat(sweep()).containsEntry(CartJourneys.Result.ENTERED, 2);

        clock.set(NIGHT.plus(Duration.ofHours(1)));
        cartEvent(cleared, "cleared", clock.instant());
        // starting the checkout is an update: the wait restarts; completing it converts
        cartEvent(checkedOut, "checkout-started", clock.instant());
        assertThat(sweep())
                .containsEntry(CartJourneys.Result.CLOSED, 1)
                .containsEntry(CartJourneys.Result.RESTARTED, 1);
        clock.set(NIGHT.plus(Duration.ofHours(2)));
        cartEvent(checkedOut, "checkout-completed", clock.instant());
        assertThat(sweep()).containsEntry(CartJourneys.Result.CLOSED, 1);

        String clearedJourney = instanceOf(campaign, cleared);
        String checkedOutJourney = instanceOf(campaign, checkedOut);
        assertThat(ended(clearedJourney)).isTrue();
        assertThat(ended(checkedOutJourney)).isTrue();
        assertThat(exitOutcome(clearedJourney)).isEqualTo("CLEARED");
        assertThat(exitOutcome(checkedOutJourney)).isEqualTo("CONVERTED");
        assertThat(timesReached(clearedJourney, END_EVENT_CLEARED.id())).isEqualTo(1);
        assertThat(timesReached(checkedOutJourney, END_EVENT_CHECKED_OUT.id())).isEqualTo(1);
        assertThat(managementService
                        .createJobQuery()
                        .processInstanceIds(java.util.Set.of(clearedJourney, checkedOutJourney))
                        .count())
                .isZero();
        assertThat(sendGridRequests() + twilioRequests()).isZero();
    }

    @Test
    @Order(5)
    void anAnonymousCartEntersWhenTheShopNamesTheCustomerAndANewerCartReplacesTheJourney() {
        String campaign = activeCampaign("A:0, B:0, CONTROL:100");
        String customer = shopper(true);
        String first = cartId();
        cart(first, null, NIGHT, List.of(item("BOOT-1", "Trail boots", 1, "89.00")));
        assertThat(sweep()).containsOnlyKeys(CartJourneys.Result.ANONYMOUS);
        assertThat(enrollments(campaign, first)).isEmpty();

        clock.set(NIGHT.plus(Duration.ofMinutes(3))); // the customer logs in
        cart(first, customer, clock.instant(), List.of(item("BOOT-1", "Trail boots", 1, "89.00")));
        assertThat(sweep()).containsOnlyKeys(CartJourneys.Result.ENTERED);
        ProcessInstance firstJourney = journey(campaign, first);

        clock.set(NIGHT.plus(Duration.ofHours(1))); // a cart on another device
        String second = cartId();
        cart(second, customer, clock.instant(), List.of(item("HAT-1", "Rain hat", 1, "30.00")));
        assertThat(sweep()).containsOnlyKeys(CartJourneys.Result.REPLACED);
        assertThat(firstJourney).isEnded();
        assertThat(exitOutcome(firstJourney.getId())).isEqualTo("REPLACED");
        ProcessInstance secondJourney = journey(campaign, second);
        assertThat(secondJourney).isWaitingAt(TIMER_CART_ABANDONED.id());

        // the first cart changes again: its journey is over and is not started again
        clock.set(NIGHT.plus(Duration.ofHours(2)));
        cart(first, customer, clock.instant(), List.of(item("BOOT-2", "Trail boots", 2, "89.00")));
        assertThat(sweep()).containsOnlyKeys(CartJourneys.Result.NOTHING);
        assertThat(enrollments(campaign, first)).hasSize(1);

        // the control arm: held out of every message
        clock.set(SUNDAY_MORNING.plus(Duration.ofDays(2)));
        runDueJobs(secondJourney.getId());
        runDueJobs(secondJourney.getId());
        assertThat(secondJourney).isEnded().hasPassed(END_EVENT_HELD_OUT.id());
        assertThat(exitOutcome(secondJourney.getId())).isEqualTo("HELD_OUT");
        assertThat(sendGridRequests() + twilioRequests()).isZero();
    }

    @Test
    @Order(6)
    void twentyParallelUpdatesOfOneCartLeaveOneJourneyThatKnowsTheLatest() throws Exception {
        String campaign = activeCampaign("A:100, B:0");
        String customer = shopper(false);
        String cartId = cartId();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> updates = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                Instant at = NIGHT.plusMillis(i * 10L);
                List<Map<String, Object>> items = List.of(item("BOOT-1", "Trail boots", i, "89.00"));
                updates.add(() -> putCart(cartId, customer, at, items).statusCode());
                if (i % 5 == 0) {
                    updates.add(() -> sweep().size());
                }
            }
            for (Future<Integer> update : threads.invokeAll(updates)) {
                update.get();
            }
        } finally {
            threads.shutdownNow();
        }
        cartJourneys.scheduledSweep(); // what every node runs each second

        ProcessInstance journey = journey(campaign, cartId);
        assertThat(journey).isWaitingAt(TIMER_CART_ABANDONED.id());
        assertThat(variable(journey.getId(), JourneyVariables.CART_UPDATED_AT.name()))
                .isEqualTo(NIGHT.plusMillis(200).toString());
        assertThat(sweep()).isEmpty();
    }

    @Autowired
    CampaignEntry campaignEntry;

    private void refused(String template, Map<String, Object> trigger, String reentry, String field) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", trigger);
        settings.put("reentry", Map.of("policy", reentry));
        String id = "carts-refused-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of("id", id, "name", "Refused", "template", template, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.hasItem(field));
    }

    @Test
    @Order(7)
    void onlyCartTemplatesTakeTheCartTriggerAndTheScheduledEntryLeavesThemAlone() {
        refused(
                AbandonedCartProcess.KEY,
                Map.of("type", "RECURRING", "every", "P1D"),
                "AFTER_EXIT",
                "settings.trigger.type");
        refused(AbandonedCartProcess.KEY, Map.of("type", "CART_UPDATED"), "ONCE", "settings.reentry.policy");
        refused(WinBackProcess.KEY, Map.of("type", "CART_UPDATED"), "AFTER_EXIT", "settings.trigger.type");

        String campaign = activeCampaign("A:50, B:50");
        assertThat(campaignEntry.campaignsToEnter()).doesNotContain(campaign);
    }

    /** Runs after the others: every step of the template ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheTemplateRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(historyService, repositoryService, AbandonedCartProcess.KEY);
    }
}
