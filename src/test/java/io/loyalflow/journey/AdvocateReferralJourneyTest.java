package io.loyalflow.journey;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.END_EVENT_NO_RESPONSE;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.END_EVENT_REFERRED;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.END_EVENT_UNREACHABLE;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.EVENT_REFERRAL_MADE;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.EVENT_RESPONSE_WAIT_OVER;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.GATEWAY_RESPONSE;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_CHOOSE_REFERRAL_PATH;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_FIND_RECOMMENDATIONS;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SEND_REFERRAL_REMINDER;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SEND_VOUCHER;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SPLIT_INCENTIVE;
import static io.loyalflow.journey.JourneyVariables.INCENTIVE;
import static io.loyalflow.journey.JourneyVariables.REFERRAL_PATH;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The advocate-referral template as a campaign: recurring entry of opted-in defecting buyers, the
 * referral-path decision, the referral reminder with the referral tokens, the A/B test of incentives,
 * the voucher with product recommendations (as SendGrid receives them), and every way out: referred,
 * converted, no response, unreachable.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdvocateReferralJourneyTest extends MessagingIntegrationTest {

    // Far from the other journey tests' dates: top sellers count every order of the last 90 days.
    private static final Instant NOW = Instant.parse("2029-09-03T14:00:00Z");
    private static final String NEW_YORK = "America/New_York";
    private static final String SHARE_URL = "https://mention-me.example/m/ole/cj6qx-ann-lee";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CampaignEntryRuns entryRuns() {
        return new CampaignEntryRuns(managementService, historyService);
    }

    @Autowired
    HistoryService historyService;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String shoes = "shoes-" + run;
    private final String ownSku = "SHOE-OWN-" + run;

    @BeforeEach
    void morning() {
        clock.set(NOW);
        senderVerified(true);
        sendGridAccepts("sg-" + run);
    }

    /** A customer whose only order (a pair of shoes) was 200 days ago: a defecting buyer after a refresh. */
    private String defectingBuyer(boolean emailConsent) {
        String id = newCustomer("ar-" + UUID.randomUUID() + "@example.com", null, NEW_YORK, emailConsent, false);
        order(id, NOW.minus(Duration.ofDays(200)), ownSku, shoes, 1);
        return id;
    }

    private void referralStats(String customerId, String activity, int successfulReferrals) {
        as(SERVICE)
                .body(Map.of(
                        "activity",
                        activity,
                        "successfulReferrals",
                        successfulReferrals,
                        "shareUrl",
                        SHARE_URL,
                        "extendedRevenue",
                        new BigDecimal("250.00")))
                .put("/api/customers/{id}/referral", customerId)
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    private String order(String customerId, Instant placedAt, String sku, String category, int quantity) {
        String orderId = "o-" + UUID.randomUUID();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", sku);
        item.put("quantity", quantity);
        item.put("unitPrice", new BigDecimal("40.00"));
        if (category != null) {
            item.put("category", category);
        }
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        orderId,
                        "customerId",
                        customerId,
                        "placedAt",
                        placedAt.toString(),
                        "amount",
                        new BigDecimal("40.00").multiply(BigDecimal.valueOf(quantity)),
                        "currency",
                        "USD",
                        "items",
                        List.of(item)))
                .post("/api/orders")
                .then()
                .statusCode(201);
        return orderId;
    }

    /**
     * Other customers' recent purchases, the best sellers the voucher recommends, in units times
     * {@code scale}: the tests of this class share the window, a larger scale outsells the others' sales.
     */
    private void recentSales(int scale) {
        String shopper = newCustomer("shopper-" + UUID.randomUUID() + "@example.com", null, NEW_YORK, false, false);
        Instant recently = NOW.minus(Duration.ofDays(10));
        order(shopper, recently, "SHOE-A-" + run, shoes, 5 * scale);
        order(shopper, recently, "SHOE-B-" + run, shoes, 2 * scale);
        order(shopper, recently, ownSku, shoes, 9 * scale); // a defecting buyer's own pair: never recommended to them
        order(shopper, recently, "HAT-" + run, "hats-" + run, 4 * scale);
    }

    private void refreshSegments() {
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
    }

    private Map<String, Object> settings(List<String> customers, String arms) {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                TASK_SEND_REFERRAL_REMINDER.id(),
                Map.of(
                        "templateId",
                        TEMPLATE,
                        "templateData",
                        Map.of(
                                "name",
                                "{{firstName}}",
                                "referrals",
                                "{{successfulReferrals}}",
                                "shareLink",
                                "{{referralShareUrl}}")));
        messages.put(
                TASK_SEND_VOUCHER.id(),
                Map.of(
                        "templateId",
                        TEMPLATE,
                        "templateData",
                        Map.of("code", "COMEBACK10", "products", "{{var.recommendations}}")));
        Map<String, Object> settings = new LinkedHashMap<>();
        // the seed's opt-in filter: only customers who opted in to e-mail enter
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "defecting-buyers",
                        "conditions",
                        Map.of(
                                "and",
                                List.of(
                                        Map.of("field", "customerId", "op", "in", "value", customers),
                                        Map.of("field", "emailConsent", "op", "eq", "value", true)))));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("responseWait", "P30D"));
        settings.put("arms", Map.of(TASK_SPLIT_INCENTIVE.id(), arms));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        return settings;
    }

    private String activeCampaign(List<String> customers, String arms) {
        String id = "advocate-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Advocates",
                        "template",
                        AdvocateReferralProcess.KEY,
                        "settings",
                        settings(customers, arms)))
                .post("/api/campaigns")
                .then()
                .statusCode(201)
                .body("state", equalTo("DRAFT"));
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
        return id;
    }

    /** Enters the campaign's audience now and returns the customer's running journey. */
    private ProcessInstance enteredJourney(String campaign, String customerId) {
        assertThat(entryRuns().fire().enrolled(campaign)).as("enrolled").isEqualTo(1);
        String instance = jdbc.queryForObject(
                "select e.process_instance_id from campaign_enrollment e join customer c "
                        + "on c.customer_key = e.customer_key where e.campaign_key = ? and c.customer_id = ?",
                String.class,
                campaign,
                customerId);
        ProcessInstance running = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(instance)
                .singleResult();
        assertThat(running).as("journey %s is running", instance).isNotNull();
        assertThat(running.getBusinessKey()).isEqualTo(campaign + ":" + customerId);
        return running;
    }

    private String exitOutcome(String processInstanceId) {
        return jdbc.queryForObject(
                "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                String.class,
                processInstanceId);
    }

    /** The dynamic template data of every e-mail SendGrid received, in order. */
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

    private long timesReached(String processInstanceId, String activityId) {
        return historyService
                .createHistoricActivityInstanceQuery()
                .processInstanceId(processInstanceId)
                .activityId(activityId)
                .count();
    }

    @Test
    void anActiveAdvocateGetsTheReferralReminderAndAReferralEndsTheJourneyAsReferred() throws Exception {
        String customer = defectingBuyer(true);
        referralStats(customer, "Active", 2);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), "VOUCHER:50, REFERRAL_REMINDER:50");
        ProcessInstance journey = enteredJourney(campaign, customer);

        runDueJobs(journey.getId());
        assertThat(journey)
                .hasPassed(TASK_CHOOSE_REFERRAL_PATH.id(), TASK_SEND_REFERRAL_REMINDER.id())
                .hasNotPassed(TASK_SPLIT_INCENTIVE.id(), TASK_SEND_VOUCHER.id())
                .isWaitingAt(GATEWAY_RESPONSE.id());
        assertThat(variable(journey.getId(), REFERRAL_PATH.name())).isEqualTo("REFERRAL_REMINDER");
        assertThat(sentTemplateData()).singleElement().satisfies(data -> {
            assertThat(data.path("referrals").asText()).isEqualTo("2");
            assertThat(data.path("shareLink").asText()).isEqualTo(SHARE_URL);
            assertThat(data.path("name").asText()).isEqualTo("Ann");
        });

        // the program reports again without a new referral: no response yet
        clock.set(NOW.plus(Duration.ofDays(3)));
        referralStats(customer, "Active", 2);
        assertThat(journey).isWaitingAt(GATEWAY_RESPONSE.id());

        clock.set(NOW.plus(Duration.ofDays(5)));
        referralStats(customer, "Active", 3);
        assertThat(journey)
                .isEnded()
                .hasPassed(EVENT_REFERRAL_MADE.id(), END_EVENT_REFERRED.id())
                .hasNotPassed(END_EVENT_CONVERTED.id(), END_EVENT_NO_RESPONSE.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("REFERRED");
        assertThat(managementService
                        .createJobQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
    }

    @Test
    void aDormantCustomerInTheVoucherArmGetsTheVoucherWithRecommendationsAndWithoutResponseTheJourneyEnds()
            throws Exception {
        String customer = defectingBuyer(true);
        referralStats(customer, "Dormant", 1);
        recentSales(1);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), "VOUCHER:100, REFERRAL_REMINDER:0");
        ProcessInstance journey = enteredJourney(campaign, customer);

        runDueJobs(journey.getId());
        assertThat(journey)
                .hasPassed(TASK_SPLIT_INCENTIVE.id(), TASK_FIND_RECOMMENDATIONS.id(), TASK_SEND_VOUCHER.id())
                .hasNotPassed(TASK_SEND_REFERRAL_REMINDER.id())
                .isWaitingAt(GATEWAY_RESPONSE.id());
        assertThat(variable(journey.getId(), REFERRAL_PATH.name())).isEqualTo("INCENTIVE_TEST");
        assertThat(variable(journey.getId(), INCENTIVE.name())).isEqualTo("VOUCHER");
        JsonNode data = sentTemplateData().get(0);
        assertThat(data.path("code").asText()).isEqualTo("COMEBACK10");
        JsonNode products = data.path("products");
        assertThat(products.isArray())
                .as("products reach SendGrid as an array: %s", data)
                .isTrue();
        assertThat(products).hasSize(3);
        // best sellers of the customer's category first, without the pair the customer bought
        assertThat(products.get(0).path("sku").asText()).isEqualTo("SHOE-A-" + run);
        assertThat(products.get(0).path("category").asText()).isEqualTo(shoes);
        assertThat(products.get(1).path("sku").asText()).isEqualTo("SHOE-B-" + run);
        assertThat(products.get(2).path("category").asText()).isNotEqualTo(shoes);
        assertThat(products.findValuesAsText("sku")).doesNotContain(ownSku);

        clock.set(NOW.plus(Duration.ofDays(30)).plusSeconds(1));
        runDueJobs(journey.getId());
        assertThat(journey).isEnded().hasPassed(EVENT_RESPONSE_WAIT_OVER.id(), END_EVENT_NO_RESPONSE.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("NO_RESPONSE");
        assertThat(sendGridRequests()).isEqualTo(1);
    }

    @Test
    void aDormantCustomerInTheReminderArmGetsTheReferralReminderAndAnOrderDuringTheWaitConverts() {
        String customer = defectingBuyer(true);
        referralStats(customer, "Dormant", 0);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), "VOUCHER:0, REFERRAL_REMINDER:100");
        ProcessInstance journey = enteredJourney(campaign, customer);

        runDueJobs(journey.getId());
        assertThat(journey)
                .hasPassed(TASK_SPLIT_INCENTIVE.id(), TASK_SEND_REFERRAL_REMINDER.id())
                .hasNotPassed(TASK_FIND_RECOMMENDATIONS.id(), TASK_SEND_VOUCHER.id())
                .isWaitingAt(GATEWAY_RESPONSE.id());
        assertThat(variable(journey.getId(), INCENTIVE.name())).isEqualTo("REFERRAL_REMINDER");
        assertThat(sendGridRequests()).isEqualTo(1);

        clock.set(NOW.plus(Duration.ofDays(4)));
        order(customer, clock.instant().minusSeconds(60), "SOCKS-" + run, "socks-" + run, 1);
        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_CONVERTED.id())
                .hasNotPassed(END_EVENT_REFERRED.id(), END_EVENT_NO_RESPONSE.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("CONVERTED");
        assertThat(timesReached(journey.getId(), END_EVENT_CONVERTED.id())).isEqualTo(1);
        assertThat(managementService
                        .createJobQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
    }

    @Test
    void aCustomerWithoutReferralDataGetsTheVoucherAtOnceWithOverallBestSellers() throws Exception {
        String customer = newCustomer("ar-" + UUID.randomUUID() + "@example.com", null, NEW_YORK, true, false);
        order(customer, NOW.minus(Duration.ofDays(120)), "GIFT-CARD-" + run, null, 1); // no category known
        recentSales(100);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), "VOUCHER:0, REFERRAL_REMINDER:100");
        ProcessInstance journey = enteredJourney(campaign, customer);

        runDueJobs(journey.getId());
        assertThat(journey)
                .hasPassed(TASK_FIND_RECOMMENDATIONS.id(), TASK_SEND_VOUCHER.id())
                .hasNotPassed(TASK_SPLIT_INCENTIVE.id(), TASK_SEND_REFERRAL_REMINDER.id())
                .isWaitingAt(GATEWAY_RESPONSE.id());
        assertThat(variable(journey.getId(), REFERRAL_PATH.name())).isEqualTo("VOUCHER");
        JsonNode products = sentTemplateData().get(0).path("products");
        assertThat(products.isArray()).isTrue();
        assertThat(products).hasSize(3);
        // without categories of their own: the overall best sellers, by units sold
        assertThat(products.findValuesAsText("sku")).containsExactly(ownSku, "SHOE-A-" + run, "HAT-" + run);
    }

    @Test
    void onlyOptedInCustomersEnterAndOneWhoOptsOutBeforeTheFirstStepEndsAsUnreachable() {
        String optedOut = defectingBuyer(false);
        String optsOutLater = defectingBuyer(true);
        referralStats(optsOutLater, "Active", 1);
        refreshSegments();
        String campaign = activeCampaign(List.of(optedOut, optsOutLater), "VOUCHER:50, REFERRAL_REMINDER:50");
        ProcessInstance journey = enteredJourney(campaign, optsOutLater);
        assertThat(jdbc.queryForObject(
                        "select count(*) from campaign_enrollment where campaign_key = ?", Integer.class, campaign))
                .isEqualTo(1);

        clock.set(NOW.plusSeconds(60));
        as(SERVICE)
                .body(Map.of(
                        "email",
                        "ar-" + UUID.randomUUID() + "@example.com",
                        "firstName",
                        "Ann",
                        "lastName",
                        "Lee",
                        "timeZone",
                        NEW_YORK,
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
                .put("/api/customers/{id}", optsOutLater)
                .then()
                .statusCode(200);

        runDueJobs(journey.getId());
        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_UNREACHABLE.id())
                .hasNotPassed(TASK_CHOOSE_REFERRAL_PATH.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("UNREACHABLE");
        assertThat(sendGridRequests()).isZero();
    }

    @Test
    void anOrderWhileTheSendIsPendingConvertsOnceAndNothingIsSent() {
        String customer = defectingBuyer(true);
        referralStats(customer, "Active", 4);
        refreshSegments();
        String campaign = activeCampaign(List.of(customer), "VOUCHER:50, REFERRAL_REMINDER:50");
        ProcessInstance journey = enteredJourney(campaign, customer);
        managementService.executeJob(onlyJob(journey.getId()).getId());
        assertThat(journey).isWaitingAt(TASK_SEND_REFERRAL_REMINDER.id());

        // a referral before the message went out is no response to it: the journey goes on
        referralStats(customer, "Active", 5);
        assertThat(journey).isWaitingAt(TASK_SEND_REFERRAL_REMINDER.id());

        order(customer, NOW.minusSeconds(30), "SOCKS-" + run, "socks-" + run, 1);
        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_CONVERTED.id())
                .hasNotPassed(TASK_SEND_REFERRAL_REMINDER.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("CONVERTED");
        assertThat(timesReached(journey.getId(), END_EVENT_CONVERTED.id())).isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "select count(*) from campaign_enrollment where process_instance_id = ? "
                                + "and exited_at is not null",
                        Integer.class,
                        journey.getId()))
                .isEqualTo(1);
        assertThat(managementService
                        .createJobQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
        assertThat(sendGridRequests()).isZero();
        assertThat(deliveriesOf(journey.getId())).isEmpty();
    }

    /** Runs after the others: every step of the template ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheTemplateRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(historyService, repositoryService, AdvocateReferralProcess.KEY);
    }
}
