package io.loyalflow.experiment;

import static io.loyalflow.experiment.ExperimentReviewProcess.Element.END_EVENT_NO_NEW_WINNER;
import static io.loyalflow.experiment.ExperimentReviewProcess.Element.END_EVENT_WINNERS_DECLARED;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.OPERATOR;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.loyalflow.experiment.ExperimentOutcomes.ArmOutcome;
import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.FlowNodeCoverage;
import io.loyalflow.testsupport.ScheduledProcessRuns;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * Experiments through the API: the figures of a small experiment equal the Beta posteriors computed by hand,
 * the scheduled review declares and applies a winner that new entries then take, an undo gives them the
 * campaign's weights again, and bad requests get problems. The outcome counts come from a stand-in for the
 * campaign report ({@link ExperimentOutcomes}), so each case has the figures it needs.
 */
@Import(ExperimentApiTest.Outcomes.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExperimentApiTest extends DatabaseTest {

    /** The report's stand-in: per experiment key, the figures the test gives. */
    @TestConfiguration
    static class Outcomes {
        static final Map<String, Map<String, ArmOutcome>> FIGURES = new ConcurrentHashMap<>();

        @Bean
        @Primary
        ExperimentOutcomes testOutcomes() {
            return (campaignId, experimentKey) -> FIGURES.getOrDefault(experimentKey, Map.of());
        }
    }

    @Autowired
    RepositoryService repositoryService;

    @Autowired
    ManagementService managementService;

    @Autowired
    HistoryService historyService;

    @BeforeEach
    void deploy() {
        repositoryService
                .createDeployment()
                .name("experiment-test")
                .enableDuplicateFiltering(true)
                .addClasspathResource("experiment/experiment-test.bpmn")
                .deploy();
    }

    private String activeCampaign(Map<String, Object> experiment) {
        String id = "exp-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> settings = new HashMap<>();
        settings.put("arms", Map.of("Task_Split", "A:45, B:45, CONTROL:10"));
        settings.put("experiments", Map.of("Task_Split", experiment));
        as(ANALYST)
                .body(Map.of("id", id, "name", "Experiment " + id, "template", "experiment-test", "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST).post("/api/campaigns/{id}/activate", id).then().statusCode(200);
        return id;
    }

    /** A new customer's journey through the split; the arm it took. */
    private String journey(String campaign) {
        String customer = "exp-" + UUID.randomUUID();
        as(SERVICE)
                .body(Map.of("email", customer + "@example.com"))
                .put("/api/customers/{id}", customer)
                .then()
                .statusCode(201);
        String instance = as(SERVICE)
                .body(Map.of("customerId", customer))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(201)
                .extract()
                .path("processInstanceId");
        managementService.executeJob(managementService
                .createJobQuery()
                .processInstanceId(instance)
                .singleResult()
                .getId());
        return (String) historyService
                .createHistoricVariableInstanceQuery()
                .processInstanceId(instance)
                .variableName("offerArm")
                .singleResult()
                .getValue();
    }

    private JsonPath experiments(String campaign) {
        return as(ANALYST)
                .get("/api/campaigns/{id}/experiments", campaign)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static ArmOutcome arm(long journeys, long converted, String revenue) {
        return new ArmOutcome(journeys, journeys, journeys / 2, journeys / 4, converted, new BigDecimal(revenue));
    }

    private HistoricProcessInstance review() {
        return new ScheduledProcessRuns(ExperimentReviewProcess.KEY, managementService, historyService).fire();
    }

    @Test
    @Order(1)
    void aSmallExperimentsFiguresAreItsBetaPosteriors() {
        String campaign = activeCampaign(Map.of());
        String customerArm = journey(campaign);
        assertThat(customerArm).isIn("A", "B", "CONTROL");
        String key = campaign + ":offer";
        Outcomes.FIGURES.put(
                key, Map.of("A", arm(10, 3, "90.00"), "B", arm(10, 1, "20.00"), "CONTROL", arm(10, 2, "30.00")));

        JsonPath answer = experiments(campaign);

        assertThat(answer.getList("experimentKey")).containsExactly(key);
        assertThat(answer.getString("[0].stepId")).isEqualTo("Task_Split");
        assertThat(answer.getString("[0].name")).isEqualTo("Choose the offer (A/B)");
        assertThat(answer.getString("[0].metric")).isEqualTo("CONVERSION");
        assertThat(answer.getString("[0].controlArm")).isEqualTo("CONTROL");
        assertThat(answer.getInt("[0].minSample")).isEqualTo(500);
        assertThat(answer.getDouble("[0].threshold")).isEqualTo(0.95);
        assertThat(answer.getString("[0].state")).isEqualTo("RUNNING");
        assertThat(answer.getString("[0].winner")).isNull();
        assertThat(answer.getList("[0].arms.arm")).containsExactly("A", "B", "CONTROL");
        assertThat(answer.getList("[0].arms.weight")).containsExactly(45, 45, 10);
        assertThat(answer.getList("[0].arms.control")).containsExactly(false, false, true);
        assertThat(answer.getList("[0].arms.assigned")).containsExactly(10, 10, 10);
        assertThat(answer.getList("[0].arms.outcomes")).containsExactly(3, 1, 2);
        assertThat(answer.getList("[0].arms.rate", Float.class)).containsExactly(0.3f, 0.1f, 0.2f);
        assertThat(answer.getList("[0].arms.revenuePerJourney", Float.class)).containsExactly(9.0f, 2.0f, 3.0f);
        // Beta(4, 8), Beta(2, 10), Beta(3, 9): P(best) = ∫ f_i Π F_j, integrated exactly as polynomials
        assertThat(answer.getDouble("[0].arms[0].probabilityToBeBest")).isCloseTo(0.621254, within(5e-4));
        assertThat(answer.getDouble("[0].arms[1].probabilityToBeBest")).isCloseTo(0.096833, within(5e-4));
        assertThat(answer.getDouble("[0].arms[2].probabilityToBeBest")).isCloseTo(0.281913, within(5e-4));
        // the 2.5 % and 97.5 % quantiles of the posteriors (bisection on the exact CDFs)
        assertThat(answer.getDouble("[0].arms[0].interval.low")).isCloseTo(0.109263, within(1e-5));
        assertThat(answer.getDouble("[0].arms[0].interval.high")).isCloseTo(0.609743, within(1e-5));
        assertThat(answer.getDouble("[0].arms[1].interval.low")).isCloseTo(0.022831, within(1e-5));
        assertThat(answer.getDouble("[0].arms[1].interval.high")).isCloseTo(0.412780, within(1e-5));
        assertThat(answer.getDouble("[0].arms[2].interval.low")).isCloseTo(0.060218, within(1e-5));
        assertThat(answer.getDouble("[0].arms[2].interval.high")).isCloseTo(0.517756, within(1e-5));
        // uplift against control's 20 %: +50 % and −50 %; none for the control itself
        assertThat(answer.getDouble("[0].arms[0].upliftVsControl")).isCloseTo(0.5, within(1e-9));
        assertThat(answer.getDouble("[0].arms[1].upliftVsControl")).isCloseTo(-0.5, within(1e-9));
        assertThat(answer.getString("[0].arms[2].upliftVsControl")).isNull();

        // operators read it too; the answer names no customer
        String body = as(OPERATOR)
                .get("/api/campaigns/{id}/experiments", campaign)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(body).doesNotContain("@example.com").doesNotContain("exp-" + "customer");
    }

    @Test
    @Order(2)
    void aDeclaredWinnerTakesNewEntriesUntilItIsUndone() {
        String campaign = activeCampaign(Map.of("applyWinner", true));
        String key = campaign + ":offer";
        journey(campaign);
        // A converts 15 %, B 6.7 %, the control 5 %: 600 journeys each, above the minimum sample of 500
        Outcomes.FIGURES.put(key, Map.of("A", arm(600, 90, "0"), "B", arm(600, 40, "0"), "CONTROL", arm(600, 30, "0")));

        HistoricProcessInstance run = review();

        JsonPath answer = experiments(campaign);
        assertThat(answer.getString("[0].state")).isEqualTo("WINNER_APPLIED");
        assertThat(answer.getString("[0].winner")).isEqualTo("A");
        assertThat(answer.getString("[0].decision.arm")).isEqualTo("A");
        assertThat(answer.getBoolean("[0].decision.applied")).isTrue();
        assertThat(answer.getDouble("[0].decision.probabilityToBeBest")).isGreaterThan(0.9999);
        assertThat(answer.getList("[0].decision.figures.assigned")).containsExactly(600, 600, 600);
        assertThat(answer.getString("[0].decision.decidedAt")).isNotNull();
        assertThat(new ScheduledProcessRuns(ExperimentReviewProcess.KEY, managementService, historyService).path(run))
                .contains(END_EVENT_WINNERS_DECLARED.id());

        // new entries take A, or the control arm, which keeps its 10 %
        Map<String, Integer> applied = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            applied.merge(journey(campaign), 1, Integer::sum);
        }
        assertThat(applied).doesNotContainKey("B");
        assertThat(applied.get("A")).isGreaterThanOrEqualTo(20);

        // an analyst undoes it: the weights are the campaign's again, and who did it is recorded
        as(ANALYST)
                .post("/api/campaigns/{id}/experiments/{key}/winner/undo", campaign, key)
                .then()
                .statusCode(200)
                .body("state", equalTo("RUNNING"))
                .body("winner", equalTo(null))
                .body("decision.arm", equalTo("A"))
                .body("decision.undoneBy", equalTo(ANALYST.id))
                .body("decision.undoneAt", org.hamcrest.Matchers.notNullValue());
        Map<String, Integer> undone = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            undone.merge(journey(campaign), 1, Integer::sum);
        }
        assertThat(undone).containsKey("B");

        // an undone decision stays undone: the next review declares nothing
        HistoricProcessInstance again = review();
        assertThat(new ScheduledProcessRuns(ExperimentReviewProcess.KEY, managementService, historyService).path(again))
                .contains(END_EVENT_NO_NEW_WINNER.id());
        assertThat(experiments(campaign).getString("[0].state")).isEqualTo("RUNNING");

        // nothing left to undo; operators may not change campaigns
        as(ANALYST)
                .post("/api/campaigns/{id}/experiments/{key}/winner/undo", campaign, key)
                .then()
                .statusCode(409);
        as(OPERATOR)
                .post("/api/campaigns/{id}/experiments/{key}/winner/undo", campaign, key)
                .then()
                .statusCode(403);
    }

    @Test
    @Order(3)
    void aWinnerNeedsTheMinimumSampleInEveryArm() {
        String campaign = activeCampaign(Map.of("minSample", 700, "threshold", 0.9));
        journey(campaign);
        Outcomes.FIGURES.put(
                campaign + ":offer",
                Map.of("A", arm(800, 120, "0"), "B", arm(800, 40, "0"), "CONTROL", arm(600, 30, "0")));

        review();

        JsonPath answer = experiments(campaign);
        assertThat(answer.getInt("[0].minSample")).isEqualTo(700);
        assertThat(answer.getDouble("[0].arms[0].probabilityToBeBest")).isGreaterThan(0.999);
        assertThat(answer.getString("[0].state"))
                .as("the control arm has 600 < 700")
                .isEqualTo("RUNNING");
    }

    @Test
    @Order(4)
    void badRequestsGetProblems() {
        as(ANALYST)
                .get("/api/campaigns/{id}/experiments", "no-such-campaign")
                .then()
                .statusCode(404)
                .body("detail", equalTo("No campaign no-such-campaign."));
        String campaign = activeCampaign(Map.of());
        assertThat(experiments(campaign).getList("$"))
                .as("no journey reached the split yet")
                .isEmpty();
        as(ANALYST)
                .post("/api/campaigns/{id}/experiments/{key}/winner/undo", campaign, "no-such-experiment")
                .then()
                .statusCode(404);
        journey(campaign);
        as(ANALYST)
                .post("/api/campaigns/{id}/experiments/{key}/winner/undo", campaign, campaign + ":offer")
                .then()
                .statusCode(409);
        as(ANALYST)
                .body(Map.of(
                        "name",
                        "bad",
                        "template",
                        "experiment-test",
                        "settings",
                        Map.of(
                                "experiments",
                                Map.of(
                                        "Task_Split",
                                        Map.of("metric", "REVENUE", "threshold", 1.5, "minSample", 0, "colour", 1)))))
                .put("/api/campaigns/{id}", campaign)
                .then()
                .statusCode(422)
                .body(
                        "errors.field",
                        org.hamcrest.Matchers.hasItems(
                                "settings.experiments.Task_Split.metric",
                                "settings.experiments.Task_Split.threshold",
                                "settings.experiments.Task_Split.minSample",
                                "settings.experiments.Task_Split.colour"));
    }

    @Test
    @Order(5)
    void activationRefusesAnExperimentForAStepTheTemplateDoesNotHave() {
        String campaign = activeCampaign(Map.of());
        as(ANALYST)
                .body(Map.of(
                        "name",
                        "typo",
                        "template",
                        "experiment-test",
                        "settings",
                        Map.of(
                                "arms",
                                Map.of("Task_Split", "A:50, B:50"),
                                "experiments",
                                Map.of("Task_Splt", Map.of("applyWinner", true)))))
                .put("/api/campaigns/{id}", campaign)
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("settings.experiments.Task_Splt"));
    }

    @Test
    @Order(6)
    void afterItsWindowAnExperimentDeclaresNothing() {
        java.time.Instant start = clock.instant();
        String campaign = activeCampaign(Map.of("window", "PT1H"));
        journey(campaign);
        Outcomes.FIGURES.put(
                campaign + ":offer",
                Map.of("A", arm(600, 90, "0"), "B", arm(600, 40, "0"), "CONTROL", arm(600, 30, "0")));
        clock.set(start.plus(java.time.Duration.ofHours(2)));

        review();

        JsonPath answer = experiments(campaign);
        assertThat(answer.getString("[0].window")).isEqualTo("PT1H");
        assertThat(java.time.Instant.parse(answer.getString("[0].endsAt")))
                .isEqualTo(java.time.Instant.parse(answer.getString("[0].startedAt"))
                        .plus(java.time.Duration.ofHours(1)));
        assertThat(answer.getString("[0].state")).isEqualTo("RUNNING");
        assertThat(answer.getDouble("[0].arms[0].probabilityToBeBest")).isGreaterThan(0.999);
    }

    /** Runs after the others: both ends of the review ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheReviewRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(
                historyService, processEngine.getRepositoryService(), ExperimentReviewProcess.KEY);
    }
}
