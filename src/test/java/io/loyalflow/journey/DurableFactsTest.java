package io.loyalflow.journey;

import static io.loyalflow.journey.AdvocateReferralProcess.Element.END_EVENT_REFERRED;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.EVENT_REFERRAL_MADE;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.GATEWAY_RESPONSE;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SEND_REFERRAL_REMINDER;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SEND_VOUCHER;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SPLIT_INCENTIVE;
import static io.loyalflow.journey.WinBackProcess.Element.EVENT_ORDER_WAIT_OVER;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.customer.CustomerErased;
import io.loyalflow.customer.ReferralMade;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.order.OrdersRecorded;
import io.loyalflow.platform.events.EventPublications;
import io.loyalflow.segment.SegmentEventsRecorded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Facts that drive journeys are durable events: an order (single or imported), a referral and an
 * erasure reach the journeys they concern once, even when a listener fails the first time (the
 * publication stays incomplete and the scheduled resubmission delivers it). Journeys: win-back
 * (exit goal ORDER, waiting for an order) and advocate-referral (waiting for a referral).
 */
class DurableFactsTest extends MessagingIntegrationTest {

    private static final Instant NOW = Instant.parse("2026-06-01T14:00:00Z");
    private static final String NEW_YORK = "America/New_York";
    private static final String NDJSON = "application/x-ndjson";

    @Autowired
    EventPublications publications;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ApplicationEventPublisher events;

    @BeforeEach
    void morning() {
        // a publication a failed test of this class left behind would be resubmitted in the next one
        jdbc.update("delete from event_publication");
        clock.set(NOW);
        senderVerified(true);
        sendGridAccepts("sg-" + UUID.randomUUID());
    }

    // ---- set-up through the API, as a shop and an analyst would

    private void refreshSegments() {
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
    }

    /** A win-back campaign for these customers whose exit goal is an order. */
    private String winBackCampaign(List<String> customers) {
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
        settings.put(
                "messages",
                Map.of(
                        TASK_SEND_OFFER_EMAIL.id(),
                                Map.of("templateId", TEMPLATE, "templateData", Map.of("code", "BACK15")),
                        TASK_SEND_OFFER_SMS.id(), Map.of("smsText", "15% off your next order: BACK15")));
        settings.put("waits", Map.of("orderWait", "P14D", "reminderWait", "P7D"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        settings.put("options", Map.of("secondReminder", false));
        String id = "win-back-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of("id", id, "name", "Win them back", "template", WinBackProcess.KEY, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
        return id;
    }

    /** A customer whose only order was 60 days ago, in a win-back journey that sent its offer and waits for an order. */
    private Journey waitingWinBackJourney() {
        String customer = newCustomer("df-" + UUID.randomUUID() + "@example.com", null, NEW_YORK, true, false);
        placeOrder(customer, NOW.minus(Duration.ofDays(60)), "80.00");
        refreshSegments();
        String campaign = winBackCampaign(List.of(customer));
        String instance = as(SERVICE)
                .body(Map.of("customerId", customer))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(201)
                .extract()
                .path("processInstanceId");
        runDueJobs(instance);
        ProcessInstance journey = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(instance)
                .singleResult();
        assertThat(journey).hasPassed(TASK_SEND_OFFER_EMAIL.id()).isWaitingAt(EVENT_ORDER_WAIT_OVER.id());
        return new Journey(customer, campaign, journey);
    }

    private record Journey(String customerId, String campaign, ProcessInstance instance) {}

    private String exitOutcome(String processInstanceId) {
        return jdbc.queryForObject(
                "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                String.class,
                processInstanceId);
    }

    private double exits(String campaign, String outcome) {
        Counter counter = meters.find("loyalflow.journeys.exits")
                .tag("campaign", campaign)
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private List<Map<String, Object>> tierChanges(String customerId) {
        return as(ANALYST)
                .get("/api/segment-events?kind=TIER_CHANGED&customerId={id}", customerId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("", Map.class)
                .stream()
                .map(e -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> event = e;
                    return event;
                })
                .toList();
    }

    private int incompleteFor(String listenerId) {
        return jdbc.queryForObject(
                "select count(*) from event_publication where listener_id = ? " + "and completion_date is null",
                Integer.class,
                listenerId);
    }

    // ---- orders

    @ParameterizedTest
    @ValueSource(strings = {"ndjson", "csv"})
    void anImportedOrderConvertsTheWaitingJourneyOnceAndReTiersItsCustomerWithoutARefresh(String format) {
        Journey journey = waitingWinBackJourney();
        assertThat(tierChanges(journey.customerId())).hasSize(1); // the first tier, from the refresh
        clock.set(NOW.plus(Duration.ofDays(3)));
        String orderId = "o-" + UUID.randomUUID();
        String placedAt = clock.instant().minusSeconds(60).toString();
        byte[] body = (format.equals("csv")
                        ? "orderId,customerId,placedAt,amount,currency,sku,quantity,unitPrice\r\n" + orderId + ","
                                + journey.customerId() + "," + placedAt + ",120.00,USD,SKU-2,1,120.00\r\n"
                        : "{\"orderId\":\"" + orderId + "\",\"customerId\":\"" + journey.customerId()
                                + "\",\"placedAt\":\""
                                + placedAt
                                + "\",\"amount\":120.00,\"currency\":\"USD\",\"items\":[{\"sku\":\"SKU-2\",\"quantity\":1,"
                                + "\"unitPrice\":120.00}]}\n")
                .getBytes(StandardCharsets.UTF_8);

        durableEvents.clear(); // the set-up's own orders
        as(SERVICE)
                .contentType(format.equals("csv") ? "text/csv" : NDJSON)
                .body(body)
                .post("/api/imports/orders")
                .then()
                .statusCode(200)
                .body("created", equalTo(1));

        assertThat(journey.instance()).isEnded().hasPassed(WinBackProcess.Element.END_EVENT_CONVERTED.id());
        assertThat(exitOutcome(journey.instance().getId())).isEqualTo("CONVERTED");
        assertThat(exits(journey.campaign(), "CONVERTED")).isEqualTo(1);
        List<Map<String, Object>> changes = tierChanges(journey.customerId());
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1)).containsEntry("cause", "order:" + orderId).containsEntry("tierChange", "UPGRADE");
        assertThat(durableEvents.published(OrdersRecorded.class))
                .singleElement()
                .satisfies(event -> assertThat(event.orders())
                        .extracting(OrdersRecorded.Order::orderId)
                        .containsExactly(orderId));
        assertThat(durableEvents.published(SegmentEventsRecorded.class)).singleElement();
        durableEvents.awaitCompletion();

        // the same file again: nothing new is published, nothing moves
        as(SERVICE)
                .contentType(format.equals("csv") ? "text/csv" : NDJSON)
                .body(body)
                .post("/api/imports/orders")
                .then()
                .statusCode(200)
                .body("unchanged", equalTo(1));
        assertThat(durableEvents.published(OrdersRecorded.class)).hasSize(1);
        assertThat(exits(journey.campaign(), "CONVERTED")).isEqualTo(1);
    }

    @Test
    void anOrderGoalListenerThatFailsIsResubmittedAndConvertsTheJourneyExactlyOnce() {
        Journey journey = waitingWinBackJourney();
        clock.set(NOW.plus(Duration.ofDays(3)));
        durableEvents.failNext(OrderGoal.LISTENER_ID, 1);

        placeOrder(journey.customerId(), clock.instant().minusSeconds(60), "20.00");

        // the listener failed: the journey still waits, the publication is kept
        assertThat(journey.instance()).isWaitingAt(EVENT_ORDER_WAIT_OVER.id());
        assertThat(incompleteFor(OrderGoal.LISTENER_ID)).isEqualTo(1);
        assertThat(durableEvents.incomplete())
                .containsExactly(OrderGoal.LISTENER_ID + " <- " + OrdersRecorded.class.getName());

        // the scheduled look leaves a young publication alone (its node may still be on it) ...
        clock.set(NOW.plus(Duration.ofDays(3)).plusSeconds(30));
        assertThat(publications.resubmitStale()).isZero();
        assertThat(journey.instance()).isWaitingAt(EVENT_ORDER_WAIT_OVER.id());

        // ... and resubmits it once it is older than the grace period
        clock.set(NOW.plus(Duration.ofDays(3)).plus(Duration.ofMinutes(3)));
        assertThat(publications.resubmitStale()).isEqualTo(1);
        durableEvents.awaitCompletion();
        assertThat(journey.instance()).isEnded().hasPassed(WinBackProcess.Element.END_EVENT_CONVERTED.id());
        assertThat(exitOutcome(journey.instance().getId())).isEqualTo("CONVERTED");
        assertThat(exits(journey.campaign(), "CONVERTED")).isEqualTo(1);
        assertThat(processEngine
                        .getHistoryService()
                        .createHistoricActivityInstanceQuery()
                        .processInstanceId(journey.instance().getId())
                        .activityId(WinBackProcess.Element.END_EVENT_CONVERTED.id())
                        .count())
                .isEqualTo(1);

        // a resubmission of a handled fact (two nodes at once, or a late look) changes nothing
        assertThat(publications.resubmitStale()).isZero();
        OrdersRecorded handled = durableEvents.published(OrdersRecorded.class).get(0);
        transactions.executeWithoutResult(tx -> events.publishEvent(handled));
        durableEvents.awaitCompletion();
        assertThat(exits(journey.campaign(), "CONVERTED")).isEqualTo(1);
    }

    // ---- referral

    @Test
    void aReferralReachesTheWaitingJourneyEvenWhenItsListenerFailsOnce() {
        String customer = newCustomer("ref-" + UUID.randomUUID() + "@example.com", null, NEW_YORK, true, false);
        placeOrder(customer, NOW.minus(Duration.ofDays(200)), "40.00");
        as(SERVICE)
                .body(Map.of(
                        "activity",
                        "Active",
                        "successfulReferrals",
                        2,
                        "shareUrl",
                        "https://mention-me.com/m/x",
                        "extendedRevenue",
                        new BigDecimal("250.00")))
                .put("/api/customers/{id}/referral", customer)
                .then()
                .statusCode(201);
        refreshSegments();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "defecting-buyers",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", List.of(customer))));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put(
                "messages",
                Map.of(
                        TASK_SEND_REFERRAL_REMINDER.id(),
                        Map.of("templateId", TEMPLATE),
                        TASK_SEND_VOUCHER.id(),
                        Map.of("templateId", TEMPLATE)));
        settings.put("waits", Map.of("responseWait", "P30D"));
        settings.put("arms", Map.of(TASK_SPLIT_INCENTIVE.id(), "VOUCHER:50, REFERRAL_REMINDER:50"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        String campaign = "advocate-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        campaign,
                        "name",
                        "Advocates",
                        "template",
                        AdvocateReferralProcess.KEY,
                        "settings",
                        settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST).post("/api/campaigns/{id}/activate", campaign).then().statusCode(200);
        String instance = as(SERVICE)
                .body(Map.of("customerId", customer))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(201)
                .extract()
                .path("processInstanceId");
        runDueJobs(instance);
        ProcessInstance journey = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(instance)
                .singleResult();
        assertThat(journey).hasPassed(TASK_SEND_REFERRAL_REMINDER.id()).isWaitingAt(GATEWAY_RESPONSE.id());

        clock.set(NOW.plus(Duration.ofDays(5)));
        durableEvents.failNext(ReferralGoal.LISTENER_ID, 1);
        as(SERVICE)
                .body(Map.of(
                        "activity",
                        "Active",
                        "successfulReferrals",
                        3,
                        "shareUrl",
                        "https://mention-me.com/m/x",
                        "extendedRevenue",
                        new BigDecimal("300.00")))
                .put("/api/customers/{id}/referral", customer)
                .then()
                .statusCode(200);
        assertThat(durableEvents.published(ReferralMade.class))
                .last()
                .satisfies(
                        made -> assertThat(made.previousSuccessfulReferrals()).isEqualTo(2))
                .satisfies(made -> assertThat(made.successfulReferrals()).isEqualTo(3));
        assertThat(journey).isWaitingAt(GATEWAY_RESPONSE.id());
        assertThat(incompleteFor(ReferralGoal.LISTENER_ID)).isEqualTo(1);

        clock.set(NOW.plus(Duration.ofDays(5)).plus(Duration.ofMinutes(3)));
        assertThat(publications.resubmitStale()).isEqualTo(1);
        durableEvents.awaitCompletion();
        assertThat(journey).isEnded().hasPassed(EVENT_REFERRAL_MADE.id(), END_EVENT_REFERRED.id());
        assertThat(exitOutcome(instance)).isEqualTo("REFERRED");
        assertThat(exits(campaign, "REFERRED")).isEqualTo(1);
    }

    // ---- erasure

    @Test
    void anErasureEndsTheCustomersRunningJourneysAsErasedAndLaterFactsMoveNothing() {
        Journey journey = waitingWinBackJourney();
        String deliveryId = deliveriesOf(journey.instance().getId())
                .get(0)
                .get("delivery_id")
                .toString();
        clock.set(NOW.plus(Duration.ofDays(1)));
        durableEvents.failNext(ErasedJourneys.LISTENER_ID, 1);

        as(SERVICE).delete("/api/customers/{id}", journey.customerId()).then().statusCode(204);
        // erased at once: the delivery's address; the journey waits for the listener's second attempt
        assertThat(delivery(deliveryId).get("address")).isNull();
        assertThat(durableEvents.published(CustomerErased.class)).singleElement();
        assertThat(journey.instance()).isWaitingAt(EVENT_ORDER_WAIT_OVER.id());
        assertThat(incompleteFor(ErasedJourneys.LISTENER_ID)).isEqualTo(1);

        clock.set(NOW.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(3)));
        assertThat(publications.resubmitStale()).isEqualTo(1);
        durableEvents.awaitCompletion();
        assertThat(journey.instance()).isEnded();
        assertThat(exitOutcome(journey.instance().getId())).isEqualTo("ERASED");
        assertThat(exits(journey.campaign(), "ERASED")).isEqualTo(1);

        // an order under the same id is a new customer's; an open of the old e-mail finds no journey
        clock.set(NOW.plus(Duration.ofDays(2)));
        placeOrder(journey.customerId(), clock.instant().minusSeconds(60), "20.00");
        postSendGridEvents(
                        "[" + sendGridEvent("open", deliveryId, "x@example.com", "ev-" + UUID.randomUUID(), null) + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();
        durableEvents.awaitCompletion();
        assertThat(exitOutcome(journey.instance().getId())).isEqualTo("ERASED");
        assertThat(exits(journey.campaign(), "CONVERTED")).isZero();
        assertThat(exits(journey.campaign(), "ERASED")).isEqualTo(1);
        assertThat(sendGridRequests()).isEqualTo(1);
    }
}
