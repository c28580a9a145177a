package io.loyalflow.recommendation;

import static io.loyalflow.recommendation.RecommendationRefreshProcess.Element.END_EVENT_ALREADY_RUNNING;
import static io.loyalflow.recommendation.RecommendationRefreshProcess.Element.END_EVENT_NO_ORDERS;
import static io.loyalflow.recommendation.RecommendationRefreshProcess.Element.END_EVENT_REFRESHED;
import static io.loyalflow.recommendation.RecommendationRefreshProcess.Element.GATEWAY_REFRESHED;
import static io.loyalflow.recommendation.RecommendationRefreshProcess.Element.START_EVENT_SCHEDULED;
import static io.loyalflow.recommendation.RecommendationRefreshProcess.Element.TASK_REFRESH_MODEL;
import static io.loyalflow.recommendation.RecommendationVariables.MODEL_VERSION;
import static io.loyalflow.recommendation.RecommendationVariables.REFRESH_OUTCOME;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.order.OrderImporter;
import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.FlowNodeCoverage;
import io.loyalflow.testsupport.ScheduledProcessRuns;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The nightly refresh, bpmn/recommendation-refresh.bpmn, through the whole service: its schedule, its three paths,
 * and what the published model recommends. The baskets are planted in a year of their own (2046), so the model
 * learns from them alone: 40 campers buy a tent with a stove, a lamp ten days later, ten of them a better tent
 * after a month; 40 cooks buy coffee with a mug, coffee again a month later.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecommendationRefreshProcessTest extends DatabaseTest {

    static final Instant NOW = Instant.parse("2046-06-01T12:00:00Z");

    @Autowired
    ManagementService managementService;

    @Autowired
    HistoryService historyService;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    OrderImporter importer;

    @Autowired
    ProductRecommender recommender;

    @Autowired
    CrossSellTiming timing;

    private ScheduledProcessRuns runs;

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static boolean planted;

    static String sku(String name) {
        return name + "-" + RUN;
    }

    static String category(String name) {
        return name + "-" + RUN;
    }

    static String customer(String name) {
        return "reco-" + name + "-" + RUN;
    }

    static String order(String name) {
        return "reco-o-" + name + "-" + RUN;
    }

    @BeforeEach
    void runsOfTheScheduleAndThePlantedBaskets() throws Exception {
        runs = new ScheduledProcessRuns(RecommendationRefreshProcess.KEY, managementService, historyService);
        jdbc.update("update reco_refresh_claim set running_id = null, running_since = null");
        if (!planted) {
            clock.set(NOW);
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                Instant camping = NOW.minus(Duration.ofDays(100)).plus(Duration.ofHours(i));
                lines.append(line(
                        order("camp-" + i),
                        customer("camper-" + i),
                        camping,
                        item("TENT", "camping", "100.00"),
                        item("STOVE", "camping", "40.00")));
                lines.append(line(
                        order("lamp-" + i),
                        customer("camper-" + i),
                        camping.plus(Duration.ofDays(10)),
                        item("LAMP", "lighting", "20.00")));
                if (i < 10) {
                    lines.append(line(
                            order("pro-" + i),
                            customer("camper-" + i),
                            camping.plus(Duration.ofDays(30)),
                            item("TENT-PRO", "camping", "300.00")));
                }
                Instant cooking = NOW.minus(Duration.ofDays(50)).plus(Duration.ofHours(i));
                lines.append(line(
                        order("cook-" + i),
                        customer("cook-" + i),
                        cooking,
                        item("COFFEE", "coffee", "8.00"),
                        item("MUG", "kitchen", "10.00")));
                lines.append(line(
                        order("refill-" + i),
                        customer("cook-" + i),
                        cooking.plus(Duration.ofDays(30)),
                        item("COFFEE", "coffee", "8.00")));
            }
            lines.append(line(
                    order("ann"), customer("ann"), NOW.minus(Duration.ofDays(5)), item("TENT", "camping", "100.00")));
            lines.append(line(
                    order("bea"),
                    customer("bea"),
                    NOW.minus(Duration.ofDays(5)),
                    item("COFFEE", "coffee", "8.00"),
                    item("MUG", "kitchen", "10.00")));
            var report = importer.importOrders(
                    new ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8)),
                    OrderImporter.Format.NDJSON);
            assertThat(report.rejected()).as("%s", report).isZero();
            durableEvents.awaitSettled();
            planted = true;
        }
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private static String item(String sku, String category, String price) {
        return "{\"sku\": \"" + sku(sku) + "\", \"category\": \"" + category(category) + "\", \"quantity\": 1, "
                + "\"unitPrice\": " + price + "}";
    }

    private static String line(String orderId, String customerId, Instant placedAt, String... items) {
        return "{\"orderId\": \"" + orderId + "\", \"customerId\": \"" + customerId + "\", \"placedAt\": \"" + placedAt
                + "\", \"amount\": 1.00, \"currency\": \"USD\", \"items\": [" + String.join(", ", items) + "]}\n";
    }

    @Test
    @Order(1)
    void theScheduleIsADailyTimerAt0300AfterTheSegmentRefresh() {
        Job schedule = runs.scheduleJob();
        assertThat(schedule).isNotNull();
        assertThat(schedule.getDuedate()
                        .toInstant()
                        .atZone(ZoneId.systemDefault())
                        .toLocalTime())
                .isEqualTo(LocalTime.of(3, 0));
    }

    @Test
    @Order(2)
    void withoutOrdersInTheHistoryWindowTheModelInUseStays() {
        clock.set(Instant.parse("2090-01-01T03:00:00Z"));
        Long versions = jdbc.queryForObject("select count(*) from reco_model", Long.class);

        HistoricProcessInstance run = runs.fire();

        assertThat(runs.path(run))
                .containsExactly(
                        START_EVENT_SCHEDULED.id(),
                        TASK_REFRESH_MODEL.id(),
                        GATEWAY_REFRESHED.id(),
                        END_EVENT_NO_ORDERS.id());
        assertThat(runs.variable(run, REFRESH_OUTCOME.name())).isEqualTo("NO_ORDERS");
        assertThat(jdbc.queryForObject("select count(*) from reco_model", Long.class))
                .isEqualTo(versions);
    }

    @Test
    @Order(3)
    void aScheduledRunBuildsTheModelFromThePlantedBaskets() {
        clock.set(NOW);

        HistoricProcessInstance run = runs.fire();

        assertThat(runs.path(run))
                .containsExactly(
                        START_EVENT_SCHEDULED.id(),
                        TASK_REFRESH_MODEL.id(),
                        GATEWAY_REFRESHED.id(),
                        END_EVENT_REFRESHED.id());
        assertThat(runs.variable(run, REFRESH_OUTCOME.name())).isEqualTo("REFRESHED");
        long version = (Long) runs.variable(run, MODEL_VERSION.name());
        assertThat(jdbc.queryForObject("select status from reco_model where model_version = ?", String.class, version))
                .isEqualTo("PUBLISHED");
        assertThat(jdbc.queryForObject("select count(*) from reco_work_basket", Long.class))
                .as("the work tables are emptied")
                .isZero();

        // the model as analysts read it
        as(ANALYST)
                .get("/api/recommendations/model")
                .then()
                .statusCode(200)
                .body("fresh", equalTo(true))
                .body("model.version", equalTo((int) version))
                .body("model.orders", equalTo(40 * 2 + 10 + 40 * 2 + 2))
                .body("model.products", equalTo(6));
        as(ANALYST)
                .get("/api/products/{sku}/recommendations?kind=UPSELL", sku("TENT"))
                .then()
                .statusCode(200)
                .body("recommendations.sku", equalTo(List.of(sku("TENT-PRO"))))
                .body("recommendations[0].support", equalTo(10));
        as(ANALYST)
                .get("/api/products/{sku}/recommendations?kind=BOUGHT_TOGETHER", sku("TENT"))
                .then()
                .statusCode(200)
                .body("recommendations.sku", equalTo(List.of(sku("STOVE"))));
    }

    @Test
    @Order(4)
    void annWhoBoughtATentGetsTheStoveTheLampAndTheBetterTentButNeverHerTent() {
        clock.set(NOW.plus(Duration.ofHours(1)));

        List<RecommendedProduct> products = recommender.forCustomer(customer("ann"), 3);

        assertThat(products)
                .extracting(RecommendedProduct::sku)
                .containsExactly(sku("STOVE"), sku("LAMP"), sku("TENT-PRO"));
        assertThat(products.get(0).reason()).isEqualTo(RecommendedProduct.BOUGHT_TOGETHER);
        assertThat(products.get(1).reason()).isEqualTo(RecommendedProduct.ALSO_BOUGHT);
        assertThat(products.get(0).category()).isEqualTo(category("camping"));
        assertThat(products.get(0).price()).isEqualByComparingTo("40.00");
        // more than the model knows: best sellers fill, still without her tent
        assertThat(recommender.forCustomer(customer("ann"), 6))
                .extracting(RecommendedProduct::sku)
                .doesNotContain(sku("TENT"))
                .hasSize(5);
        as(SERVICE)
                .get("/api/customers/{id}/recommendations?count=2", customer("ann"))
                .then()
                .statusCode(200)
                .body("sku", equalTo(List.of(sku("STOVE"), sku("LAMP"))));
        // after one order: seeded by that order's products
        assertThat(recommender.afterOrder(customer("camper-20"), order("lamp-20"), 2))
                .extracting(RecommendedProduct::sku)
                .containsExactly(sku("TENT-PRO"), sku("COFFEE"));
    }

    @Test
    @Order(5)
    void coffeeIsRecommendedAgainOnceItsCategoryIsConsumable() {
        clock.set(NOW.plus(Duration.ofHours(1)));
        assertThat(recommender.forCustomer(customer("bea"), 5))
                .extracting(RecommendedProduct::sku)
                .doesNotContain(sku("COFFEE"), sku("MUG"));

        as(ANALYST)
                .body(Map.of("consumable", true))
                .put("/api/recommendations/categories/{category}", category("coffee"))
                .then()
                .statusCode(200)
                .body("consumable", equalTo(true))
                .body("updatedBy", equalTo(ANALYST.id));

        List<RecommendedProduct> products = recommender.forCustomer(customer("bea"), 5);
        assertThat(products)
                .extracting(RecommendedProduct::sku)
                .contains(sku("COFFEE"))
                .doesNotContain(sku("MUG"));
        assertThat(products.get(0).sku()).isEqualTo(sku("COFFEE"));
        as(SERVICE)
                .get("/api/recommendations/categories/{category}", category("coffee"))
                .then()
                .statusCode(200)
                .body("consumable", equalTo(true));
    }

    @Test
    @Order(6)
    void theCrossSellWaitIsTheMedianTimeToTheNextPurchaseInARelatedCategory() {
        clock.set(NOW.plus(Duration.ofHours(1)));
        // camping → lighting: every camper bought the lamp ten days after the tent
        assertThat(timing.medianIntervalAfter(order("camp-3"))).contains(Duration.ofDays(10));
        // kitchen → coffee a month later; coffee itself is followed by no kitchen purchase: the order's median is
        // the kitchen one
        assertThat(timing.medianIntervalAfter(order("bea"))).contains(Duration.ofDays(30));
        // lighting → camping: only ten campers bought again, fewer than the 30 observations needed
        assertThat(timing.medianIntervalAfter(order("lamp-1"))).isEmpty();
        assertThat(timing.medianIntervalAfter("no-such-order")).isEmpty();
        // a stale model is not used
        clock.set(NOW.plus(Duration.ofDays(30)));
        assertThat(timing.medianIntervalAfter(order("camp-3"))).isEmpty();
        assertThat(recommender.forCustomer(customer("ann"), 3))
                .extracting(RecommendedProduct::reason)
                .containsOnly(RecommendedProduct.BEST_SELLER);
    }

    @Test
    @Order(7)
    void aRunWhileAnotherRefreshIsUnderWayIsSkippedAndTheModelStays() {
        clock.set(NOW);
        Optional<Long> before = Optional.ofNullable(jdbc.queryForObject(
                "select max(model_version) from reco_model where status = 'PUBLISHED'", Long.class));
        jdbc.update(
                "update reco_refresh_claim set running_id = 'other-node', running_since = ?",
                io.loyalflow.platform.db.Timestamps.utc(NOW));

        HistoricProcessInstance run = runs.fire();

        assertThat(runs.path(run))
                .containsExactly(
                        START_EVENT_SCHEDULED.id(),
                        TASK_REFRESH_MODEL.id(),
                        GATEWAY_REFRESHED.id(),
                        END_EVENT_ALREADY_RUNNING.id());
        assertThat(runs.variable(run, REFRESH_OUTCOME.name())).isEqualTo("ALREADY_RUNNING");
        assertThat(Optional.ofNullable(jdbc.queryForObject(
                        "select max(model_version) from reco_model where status = 'PUBLISHED'", Long.class)))
                .isEqualTo(before);
    }

    /** Runs after the others: every step of the process ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheProcessRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(
                historyService, processEngine.getRepositoryService(), RecommendationRefreshProcess.KEY);
    }
}
