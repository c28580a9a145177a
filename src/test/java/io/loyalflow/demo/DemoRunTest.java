package io.loyalflow.demo;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.OPERATOR;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static io.loyalflow.testsupport.TestUsers.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;

import io.loyalflow.audience.AudienceDispatchProcess;
import io.loyalflow.cart.CartSignals;
import io.loyalflow.experiment.Arms;
import io.loyalflow.messaging.webhook.ProviderEventApplier;
import io.loyalflow.testsupport.CampaignEntryRuns;
import io.loyalflow.testsupport.IntegrationTest;
import io.loyalflow.testsupport.ScheduledProcessRuns;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The demo as a newcomer starts it, cut to CDNOW's first 500 customers, from an empty database: the load runs in
 * the background, the campaigns are active, journeys start from the first refresh, their messages go out (log
 * providers) and the simulator's opens, clicks, bounces and orders come back through the signed webhooks and the
 * order intake; the demo shop's carts start abandoned-cart journeys and its new customers' first orders welcome
 * journeys, and its survey answers advocate journeys. The job executor is off, so the test runs the campaign-entry
 * run and the journeys' jobs as the executor would, and the simulator's tick as its schedule would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestPropertySource(
        properties = {
            "loyalflow.demo.cdnow=true",
            "loyalflow.demo.customers=500",
            // the test ticks the simulator itself, and applies webhook events itself
            "loyalflow.demo.simulator.interval=1h",
            "loyalflow.demo.simulator.delay=0s",
            "loyalflow.messaging.webhooks.sweep-interval=1h",
            // the cart journeys' sweep runs as in the service (other tests sweep by hand)
            "loyalflow.carts.journey-sweep-interval=1s"
        })
class DemoRunTest extends IntegrationTest {

    private static final Duration TWO_MINUTES = Duration.ofMinutes(2);

    @Autowired
    DemoSetup setup;

    @Autowired
    DemoSimulator simulator;

    @Autowired
    DemoSurveys surveys;

    @Autowired
    DemoFeedback feedback;

    @Autowired
    ProviderEventApplier applier;

    @Autowired
    ManagementService management;

    @Autowired
    HistoryService history;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CartSignals cartSignals;

    @Autowired
    DemoProperties properties;

    @Test
    @Order(1)
    void fromAnEmptyDatabaseJourneysRunAndEngagementComesBackWithinTwoMinutes() throws Exception {
        long started = System.nanoTime();
        DemoState.Row loaded = setup.awaitLoaded(TWO_MINUTES);
        assertThat(loaded.state()).isEqualTo(DemoState.State.READY);

        JsonPath demo =
                as(ANALYST).get("/api/demo").then().statusCode(200).extract().jsonPath();
        assertThat(demo.getString("state")).isEqualTo("READY");
        assertThat(demo.getInt("customers")).isEqualTo(500);
        assertThat(demo.getInt("contacts")).isEqualTo(500);
        assertThat(demo.getInt("consented.email")).isBetween(300, 400); // 70 % of 500
        assertThat(demo.getInt("consented.sms")).isBetween(150, 250); // half of the 80 % with a phone
        assertThat(demo.getList("campaigns.id")).containsExactlyInAnyOrderElementsOf(DemoCampaigns.IDS);
        assertThat(demo.getList("campaigns.state")).containsOnly("ACTIVE");

        // moved in time: the last purchase day of the 500 is yesterday in New York, the shape kept (00002's two
        // orders stay on one day, 20 days after 00001's first)
        ZoneId newYork = ZoneId.of("America/New_York");
        OffsetDateTime last = jdbc.queryForObject(
                "select max(o.placed_at) from customer_order o join customer c on c.customer_key = o.customer_key "
                        + "where c.origin = 'DEMO'",
                OffsetDateTime.class);
        assertThat(last.atZoneSameInstant(newYork).toLocalDate())
                .isEqualTo(LocalDate.now(newYork).minusDays(1));
        long shift = demo.getLong("shiftDays");
        as(SERVICE)
                .get("/api/orders/{id}", "cdnow-00002-19970112-2")
                .then()
                .statusCode(200)
                .body(
                        "placedAt",
                        equalTo(LocalDate.of(1997, 1, 12)
                                .plusDays(shift)
                                .atTime(12, 0)
                                .atZone(newYork)
                                .toInstant()
                                .toString()));

        // the first refresh's segment entries and the recurring audiences enter the campaigns
        CampaignEntryRuns.Run entry = new CampaignEntryRuns(management, history).fire();
        int enrolled = DemoCampaigns.IDS.stream().mapToInt(entry::enrolled).sum();
        assertThat(enrolled)
                .as("journeys started by the first entry run: %s", entry.byCampaign())
                .isPositive();
        runDueJobs();

        // the messages went out through the log providers, some of them at once (customers' time zones are
        // spread, so some are inside the sending window at any hour)
        List<Map<String, Object>> sent = sentDeliveries();
        assertThat(sent).isNotEmpty();

        // the simulator's first tick, at a moment the test knows (its carts' ids carry the second), chosen so that at
        // least one cart of a known customer falls in a sending arm of the reminder's A/B test (arms are a hash of
        // the customer; the second after another would leave all of them in CONTROL now and then)
        Instant tickAt = tickWithAReminderToSend(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        clock.set(tickAt);
        DemoSimulator.Tick tick = simulator.tick();
        // and the survey tool's first minute: four answers, each entering the advocate campaign at once
        int answers = surveys.tick();
        clock.reset();
        applier.applyPending();
        durableEvents.awaitSettled();
        assertThat(tick.delivered() + tick.bounces()).isPositive();
        assertThat(tick.opens()).isPositive();
        assertThat(tick.orders()).isPositive();
        // and the demo shop's first minute: eight carts begun (their first updates sent now) and three newcomers, each
        // with a profile and a first order
        assertThat(tick.carts()).isEqualTo(8);
        assertThat(tick.cartCalls()).isGreaterThanOrEqualTo(8);
        assertThat(tick.newcomers()).isEqualTo(3);
        // every node's sweep enters the carts' journeys from the cart module's signals; once none is pending, each cart
        // whose customer is known has its journey (an anonymous visitor's has none until the login)
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cartSignals.pending(10).isEmpty());
        durableEvents.awaitSettled();
        DemoShop shop = new DemoShop(
                properties.simulator().seed(), properties.simulator().carts());
        long namedCarts = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> shop.cart(DemoShop.CART_PREFIX + tickAt.getEpochSecond() + "-" + i, 500))
                .filter(cart -> !cart.anonymousFirst())
                .count();

        // what came back is on the deliveries, as a provider's events would be
        List<Map<String, Object>> after = sentDeliveries();
        assertThat(after)
                .filteredOn(d -> Set.of("DELIVERED", "BOUNCED", "UNDELIVERED").contains(d.get("status")))
                .isNotEmpty();
        assertThat(after)
                .filteredOn(d -> ((Number) ((Map<?, ?>) d.get("engagement")).get("opens")).intValue() > 0)
                .hasSize(tick.opens());
        as(ANALYST)
                .get("/api/demo")
                .then()
                .statusCode(200)
                .body("simulator.enabled", equalTo(true))
                .body("simulator.opens", equalTo(tick.opens()))
                .body("simulator.orders", greaterThan(0));
        // the journeys run, as Cockpit shows them (the engine REST API it reads), by business key <campaign>:<customer>
        int journeys = as(ADMIN)
                .queryParam("businessKeyLike", "demo-%")
                .get("/engine-rest/process-instance/count")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getInt("count");
        assertThat(journeys).isPositive();
        // and the marketer's view: campaign reports with numbers, summed over the demo campaigns
        long reportedJourneys = 0, reportedSends = 0, reportedOpens = 0;
        Map<String, Long> journeysOf = new HashMap<>();
        for (String campaign : DemoCampaigns.IDS) {
            JsonPath report = as(ANALYST)
                    .get("/api/campaigns/{id}/report", campaign)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            journeysOf.put(campaign, report.getLong("totals.journeys"));
            reportedJourneys += report.getLong("totals.journeys");
            reportedSends += report.getLong("totals.sent");
            reportedOpens += report.getLong("totals.opened");
        }
        int startedJourneys = as(ADMIN)
                .queryParam("processInstanceBusinessKeyLike", "demo-%")
                .get("/engine-rest/history/process-instance/count")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getInt("count");
        assertThat(reportedJourneys)
                .as(() -> "journeys in the reports " + journeysOf + ", started " + startedOf())
                .isEqualTo(startedJourneys)
                .isGreaterThanOrEqualTo(enrolled);
        assertThat(reportedSends)
                .as("sends in the reports")
                .isEqualTo(sentDeliveries().size());
        assertThat(reportedOpens).as("opens in the reports").isEqualTo(tick.opens());
        // one cart journey per cart of a known customer, one welcome journey per newcomer
        assertThat(journeysOf.get(DemoCampaigns.ABANDONED_CART))
                .as("cart journeys in the report (carts of known customers: %s)", namedCarts)
                .isEqualTo(namedCarts)
                .isPositive();
        assertThat(journeysOf.get(DemoCampaigns.WELCOME))
                .as("welcome journeys in the report")
                .isEqualTo(3);
        // every new order offers what goes with it: at least the newcomers' first orders (CDNOW's history is too old)
        assertThat(journeysOf.get(DemoCampaigns.CROSS_SELL))
                .as("cross-sell journeys in the report")
                .isGreaterThanOrEqualTo(3);
        // the survey answers are advocates' journeys: promoters asked, passives thanked, detractors the team's task
        assertThat(answers).isEqualTo(DemoSurveys.ANSWERS_PER_MINUTE);
        assertThat(journeysOf.get(DemoCampaigns.ADVOCATE))
                .as("advocate journeys in the report")
                .isPositive()
                .isLessThanOrEqualTo(answers);
        assertThat(jdbc.queryForObject(
                        "select count(*) from customer_event where event_type = 'SurveyAnswered' and event_id like ?",
                        Integer.class,
                        DemoSurveys.EVENT_PREFIX + "%"))
                .isEqualTo(answers);
        // the first refresh's churn risks who bought within 120 days and opted in to e-mail are asked back
        assertThat(entry.enrolled(DemoCampaigns.RETENTION))
                .as("retention journeys started by the first entry run")
                .isPositive();
        // dormant members of the referral program take the advocate referral's A/B test of incentives (seed 004)
        JsonPath experiments = as(ANALYST)
                .get("/api/campaigns/{id}/experiments", DemoCampaigns.ADVOCATE_REFERRAL)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(experiments.getList("experimentKey")).contains("demo-advocate-referral-incentive");
        assertThat(experiments.<Integer>getList("arms.flatten().assigned").stream()
                        .mapToInt(Integer::intValue)
                        .sum())
                .isPositive();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TWO_MINUTES);
    }

    @Test
    @Order(2)
    void cartRemindersTakeTheirArmsNewcomersAreWelcomedAndOrdersGetTheirCrossSellOffer() throws Exception {
        setup.awaitLoaded(TWO_MINUTES);
        long started = System.nanoTime();
        // the cart journeys' reminder delay (2 minutes) is over; at 16:00 UTC most demo customers are inside their
        // sending window (08:00-21:00 local)
        Instant now = Instant.now();
        Instant sixteen =
                now.atOffset(ZoneOffset.UTC).toLocalDate().atTime(16, 0).toInstant(ZoneOffset.UTC);
        clock.set(sixteen.isAfter(now.plus(Duration.ofMinutes(3))) ? sixteen : sixteen.plus(Duration.ofDays(1)));
        runDueJobs();
        durableEvents.awaitSettled();

        // the reminder's A/B test has assigned the carts' journeys to its arms (CONTROL gets no reminder)
        JsonPath experiments = as(ANALYST)
                .get("/api/campaigns/{id}/experiments", DemoCampaigns.ABANDONED_CART)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(experiments.getList("stepId")).contains("Task_SplitReminder");
        assertThat(experiments.<String>getList("arms.flatten().arm")).contains("A", "B", "CONTROL");
        int assigned = experiments.<Integer>getList("arms.flatten().assigned").stream()
                .mapToInt(Integer::intValue)
                .sum();
        JsonPath carts = as(ANALYST)
                .get("/api/campaigns/{id}/report", DemoCampaigns.ABANDONED_CART)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(assigned).isPositive().isLessThanOrEqualTo(carts.getInt("totals.journeys"));
        // the arms A and B send a reminder (skipped without consent): those sent carry the cart, its CDs and the link
        // back to it; the SMS reminder (for those opted in to SMS, 5 minutes after the e-mail) its link
        List<Map<String, Object>> reminders = deliveriesOf(DemoCampaigns.ABANDONED_CART);
        assertThat(reminders)
                .filteredOn(d -> "email".equalsIgnoreCase((String) d.get("channel")))
                .isNotEmpty()
                .allSatisfy(
                        d -> assertThat((String) d.get("activityId")).isIn("Task_SendReminderA", "Task_SendReminderB"))
                .filteredOn(d -> d.get("sentAt") != null)
                .allSatisfy(d -> assertThat((String) d.get("content"))
                        .contains("\"name\":\"CD #")
                        .contains("\"cartUrl\":\"https://shop.example.com/cart/demo-cart-"));
        assertThat(reminders)
                .filteredOn(d -> "sms".equalsIgnoreCase((String) d.get("channel")))
                .allSatisfy(d -> assertThat(d.get("activityId")).isEqualTo("Task_SendSmsReminder"))
                .filteredOn(d -> d.get("sentAt") != null)
                .allSatisfy(d ->
                        assertThat((String) d.get("content")).contains("https://shop.example.com/cart/demo-cart-"));

        // each newcomer got the welcome's thank-you (sent, or deferred to their morning)
        // retention: a minute after the re-engagement e-mail the feedback request went out; the demo's customers answer
        // half of the requests (FeedbackGiven), and each answer moves its journey on to the leave-reason table
        List<Map<String, Object>> requests = deliveriesOf(DemoCampaigns.RETENTION).stream()
                .filter(d -> "Task_SendFeedbackRequest".equals(d.get("activityId")) && d.get("sentAt") != null)
                .toList();
        assertThat(requests).as("feedback requests sent").isNotEmpty();
        long drawn = requests.stream()
                .filter(d -> DemoFeedback.reason(properties.simulator().seed(), (String) d.get("deliveryId")) != null)
                .count();
        assertThat(feedback.answer()).isEqualTo((int) drawn);
        assertThat(feedback.answer()).as("answering again records nothing").isZero();
        runDueJobs();
        durableEvents.awaitSettled();
        assertThat(history.createHistoricActivityInstanceQuery()
                        .activityId("Task_ClassifyReason")
                        .finished()
                        .count())
                .isEqualTo(drawn);

        List<Map<String, Object>> welcomes = deliveriesOf(DemoCampaigns.WELCOME);
        assertThat(welcomes)
                .filteredOn(d -> "Task_SendThankYou".equals(d.get("activityId")))
                .hasSize(3)
                .allSatisfy(d -> assertThat((String) d.get("address")).endsWith("@example.com"));
        JsonPath welcome = as(ANALYST)
                .get("/api/campaigns/{id}/report", DemoCampaigns.WELCOME)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(welcome.getInt("totals.journeys")).isEqualTo(3);
        assertThat(welcome.getList("funnel.stepId")).contains("Task_SendThankYou");

        // the cross-sell journeys timed their offer when their first step ran, just now: 2 minutes without purchase
        // data, at most 5; then the offer by e-mail with the CDs bought by customers who bought the same, A/B tested
        // with a holdout, or by SMS with one CD
        clock.set(clock.instant().plus(Duration.ofMinutes(6)));
        runDueJobs();
        durableEvents.awaitSettled();
        List<Map<String, Object>> offers = deliveriesOf(DemoCampaigns.CROSS_SELL);
        assertThat(offers)
                .isNotEmpty()
                .allSatisfy(d -> assertThat((String) d.get("activityId"))
                        .isIn("Task_SendOfferA", "Task_SendOfferB", "Task_SendOfferSms"));
        assertThat(offers)
                .filteredOn(d -> "email".equalsIgnoreCase((String) d.get("channel")) && d.get("sentAt") != null)
                .allSatisfy(d -> assertThat((String) d.get("content")).contains("\"products\":[{\"sku\":"));
        assertThat(offers)
                .filteredOn(d -> "sms".equalsIgnoreCase((String) d.get("channel")) && d.get("sentAt") != null)
                .allSatisfy(d -> assertThat((String) d.get("content")).contains("https://shop.example.com/products/"));
        JsonPath offerTest = as(ANALYST)
                .get("/api/campaigns/{id}/experiments", DemoCampaigns.CROSS_SELL)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(offerTest.getList("stepId")).contains("Task_SplitOffer");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TWO_MINUTES);
    }

    @Test
    @Order(3)
    void noDemoContactCanReachARealPerson() throws Exception {
        setup.awaitLoaded(TWO_MINUTES);
        Set<String> zones = new HashSet<>();
        int phones = 0;
        int adsOptedIn = 0;
        // every fifth customer through the API as a shop reads profiles (DemoSimulatorRulesTest checks all 23,570
        // generated contacts)
        for (int number = 1; number <= 500; number += 5) {
            JsonPath customer = as(SERVICE)
                    .get("/api/customers/{id}", String.format("cdnow-%05d", number))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(customer.getString("email")).endsWith("@example.com");
            String phone = customer.getString("phone");
            if (phone != null) {
                phones++;
                assertThat(DemoContacts.fictionalPhone(phone))
                        .as("%s is in a range reserved for fiction", phone)
                        .isTrue();
            }
            zones.add(customer.getString("timeZone"));
            String ads = customer.getString("consents.ads.status");
            assertThat(ads).as("ads consent stated for every demo customer").isIn("OPTED_IN", "OPTED_OUT");
            if ("OPTED_IN".equals(ads)) {
                adsOptedIn++;
            }
        }
        assertThat(phones).isBetween(60, 95);
        assertThat(adsOptedIn).as("about 60 %% of 100 opted in to ad audiences").isBetween(45, 75);
        assertThat(zones).hasSizeGreaterThanOrEqualTo(8);
        // and every address the demo's messages went to
        for (Map<String, Object> delivery : sentDeliveries()) {
            String address = (String) delivery.get("address");
            if ("EMAIL".equalsIgnoreCase((String) delivery.get("channel"))) {
                assertThat(address).endsWith("@example.com");
            } else {
                assertThat(DemoContacts.fictionalPhone(address)).as(address).isTrue();
            }
        }
    }

    @Test
    @Order(4)
    void analystsAndUpReadTheDemoStateWhichHoldsNoPersonalData() throws Exception {
        setup.awaitLoaded(TWO_MINUTES);
        for (var user : List.of(ANALYST, SERVICE, ADMIN)) {
            String body =
                    as(user).get("/api/demo").then().statusCode(200).extract().asString();
            assertThat(body).doesNotContain("@").doesNotContain("cdnow-").doesNotContain("+1");
        }
        for (var user : List.of(OPERATOR, TEAM)) {
            as(user).get("/api/demo").then().statusCode(403);
        }
        RestAssured.given().port(port).get("/api/demo").then().statusCode(401);
    }

    @Test
    @Order(5)
    void aLoadTakenUpAgainChangesNothingAndKeepsTheShift() throws Exception {
        DemoState.Row first = setup.awaitLoaded(TWO_MINUTES);
        Map<String, Object> counts = counts();
        // a start after a crash half-way finds the demo LOADING and goes through every step again
        jdbc.update("update demo_state set state = 'LOADING', step = 'contacts'");
        setup.run(null);
        DemoState.Row again = setup.awaitLoaded(TWO_MINUTES);
        assertThat(again.state()).isEqualTo(DemoState.State.READY);
        assertThat(again.shiftDays()).isEqualTo(first.shiftDays());
        assertThat(again.customers()).isEqualTo(first.customers());
        assertThat(counts()).isEqualTo(counts);
        as(ANALYST)
                .get("/api/campaigns")
                .then()
                .statusCode(200)
                .body("findAll { it.id.startsWith('demo-') }.revision", everyItem(equalTo(1)))
                .body("findAll { it.id.startsWith('demo-') }.id", containsInAnyOrder(DemoCampaigns.IDS.toArray()));

        // a start after a complete load does nothing
        setup.run(null);
        assertThat(setup.awaitLoaded(TWO_MINUTES).readyAt()).isEqualTo(again.readyAt());
    }

    @Test
    @Order(6)
    void theDemosAdAudiencesFillAndTheLogProviderSendsTheirMembers() throws Exception {
        setup.awaitLoaded(TWO_MINUTES);
        // after the first entry run and tick (the earlier tests): both audiences, counts only, nothing sent yet
        JsonPath listed = as(ANALYST)
                .get("/api/audiences")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(listed.getList("id")).containsAll(DemoAudiences.IDS);
        JsonPath churn = audience(DemoAudiences.CHURN_RISK);
        assertThat(churn.getString("name")).isEqualTo("Churn risks (demo)");
        assertThat(churn.getString("source")).isEqualTo("SEGMENT");
        assertThat(churn.getString("segment")).isEqualTo("churn-risk");
        assertThat(churn.getString("provider")).isEqualTo("log");
        assertThat(churn.getString("metaAudienceId")).startsWith("log-");
        JsonPath buyers = audience(DemoAudiences.CROSS_SELL_BUYERS);
        assertThat(buyers.getString("name")).isEqualTo("Cross-sell offers (demo)");
        assertThat(buyers.getString("source")).isEqualTo("JOURNEYS");
        assertThat(buyers.getString("status")).isEqualTo("ACTIVE");
        // the cross-sell journeys (at least the newcomers' first orders) joined the buyers' audience on entry
        assertThat(buyers.getLong("members.wanted") + buyers.getLong("members.pending"))
                .as("cross-sell buyers wanted or pending: %s", buyers.getMap("members"))
                .isPositive();

        // the audience-dispatch schedule fires as every minute in the service, and each round runs its jobs
        new ScheduledProcessRuns(AudienceDispatchProcess.KEY, management, history).fire();
        runDueJobs();
        durableEvents.awaitSettled();
        churn = audience(DemoAudiences.CHURN_RISK);
        buyers = audience(DemoAudiences.CROSS_SELL_BUYERS);
        assertThat(churn.getLong("members.wanted"))
                .as("the segment's members are wanted after the round")
                .isPositive();
        // only those with ads consent are sent (about 60 %), so some wanted stay off Meta
        long sent = churn.getLong("membersSent") + buyers.getLong("membersSent");
        assertThat(sent).as("members the log provider sent").isPositive();
        assertThat(churn.getLong("membersSent")).isLessThanOrEqualTo(churn.getLong("members.wanted"));
        assertThat(churn.getLong("batches")).isPositive();
        assertThat(churn.getString("lastBatch.kind")).isIn("ADD", "REPLACE");
        assertThat(churn.getLong("errors")).isZero();
        // counts only: no member's address or id in what analysts read
        String body = as(ANALYST)
                .get("/api/audiences")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(body).doesNotContain("@").doesNotContain("cdnow-");
    }

    private JsonPath audience(String id) {
        return as(ANALYST)
                .get("/api/audiences/{id}", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private Map<String, Object> counts() {
        return jdbc.queryForMap("select (select count(*) from customer where origin = 'DEMO') as customers, "
                + "(select count(*) from customer_order where order_id like 'cdnow-%') as orders, "
                + "(select count(*) from customer_consent_event) as consent_events, "
                + "(select max(version) from customer where origin = 'DEMO') as versions, "
                + "(select count(*) from campaign) as campaigns");
    }

    private List<Map<String, Object>> sentDeliveries() {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        for (String campaign : DemoCampaigns.IDS) {
            all.addAll(as(SERVICE)
                    .queryParam("campaign", campaign)
                    .queryParam("limit", 500)
                    .get("/api/deliveries")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .<Map<String, Object>>getList("items")
                    .stream()
                    .filter(d -> d.get("sentAt") != null)
                    .toList());
        }
        return all;
    }

    /** Journeys started per demo campaign, as the engine's history has them (business keys {@code <campaign>:...}). */
    private Map<String, Integer> startedOf() {
        Map<String, Integer> started = new HashMap<>();
        for (String campaign : DemoCampaigns.IDS) {
            started.put(
                    campaign,
                    as(ADMIN)
                            .queryParam("processInstanceBusinessKeyLike", campaign + ":%")
                            .get("/engine-rest/history/process-instance/count")
                            .then()
                            .extract()
                            .jsonPath()
                            .getInt("count"));
        }
        return started;
    }

    /** Every delivery of a campaign, whatever its status. */
    private Instant tickWithAReminderToSend(Instant from) {
        DemoShop shop = new DemoShop(
                properties.simulator().seed(), properties.simulator().carts());
        Arms reminderArms = Arms.parse("A:35, B:35, CONTROL:30");
        for (int seconds = 0; ; seconds++) {
            Instant at = from.plusSeconds(seconds);
            boolean sends = java.util.stream.IntStream.range(0, 8)
                    .mapToObj(i -> shop.cart(DemoShop.CART_PREFIX + at.getEpochSecond() + "-" + i, 500))
                    .filter(cart -> !cart.anonymousFirst())
                    .anyMatch(cart -> !"CONTROL"
                            .equals(reminderArms.assign(
                                    DemoCampaigns.ABANDONED_CART + ":reminder", cart.customerId())));
            if (sends) {
                return at;
            }
        }
    }

    private List<Map<String, Object>> deliveriesOf(String campaign) {
        return as(SERVICE)
                .queryParam("campaign", campaign)
                .queryParam("limit", 500)
                .get("/api/deliveries")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    /** Runs every due job (journeys' steps), as the job executor would, until none is due. */
    private void runDueJobs() {
        for (int round = 0; round < 50; round++) {
            List<Job> due = management.createJobQuery().executable().list();
            if (due.isEmpty()) {
                return;
            }
            for (Job job : due) {
                try {
                    management.executeJob(job.getId());
                } catch (RuntimeException e) {
                    // a failing job is retried later, as under the executor; the test looks at what went out
                }
            }
        }
    }
}
