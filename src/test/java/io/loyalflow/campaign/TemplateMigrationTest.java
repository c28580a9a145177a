package io.loyalflow.campaign;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.OPERATOR;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static io.loyalflow.testsupport.TestUsers.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.testsupport.TestUsers;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.batch.Batch;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An analyst changes a template in Camunda Modeler and deploys it; the campaign's running journeys move to the new
 * version through {@code /api/campaigns/{id}/migrations}: a dry run that counts per waiting step, an engine batch
 * whose jobs the test runs one by one (the job executor is off), the report, and the journeys going on along the new
 * version: timers due as asked, orders and e-mail opens through the real intake and webhook still waking them.
 * Each test deploys copies of the shipped templates under a process key of its own, so other tests keep the shipped
 * ones. Runs on H2 and, as a database test, on PostgreSQL.
 */
class TemplateMigrationTest extends MessagingIntegrationTest {

    private static final Instant NOW = Instant.parse("2026-06-01T14:00:00Z"); // morning in New York
    private static final String PHONE = "+12125550123";
    private static final String NEW_YORK = "America/New_York";

    @Autowired
    HistoryService historyService;

    @BeforeEach
    void morning() {
        clock.set(NOW);
        senderVerified(true);
        sendGridAccepts("sg-migration");
    }

    // ---- win-back: the order wait (a timer), the order message, a step the new version lacks

    @Test
    void winBackJourneysMoveToTheNewWaitWithTimersRecomputedAndOrdersStillConvertThem() throws Exception {
        String template = copy("win-back");
        String original =
                Files.readString(Path.of("bpmn/win-back.bpmn")).replace("\"win-back\"", "\"" + template + "\"");
        deployAsModeler(template, original);
        clock.set(NOW.minus(Duration.ofDays(20)));
        String campaign = winBackCampaign(template);

        // one journey is further on: its order wait is over, the reminder went, it waits at the reminder's wait
        String late = enroll(campaign, customer());
        runDueJobs(late);
        clock.set(NOW.minus(Duration.ofDays(6)));
        runDueJobs(late);
        assertThat(instance(late)).isWaitingAt("Event_ReminderWaitOver");
        clock.set(NOW);
        String convert = enroll(campaign, customer());
        String lapse = enroll(campaign, customer());
        String third = enroll(campaign, customer());
        for (String journey : List.of(convert, lapse, third)) {
            runDueJobs(journey);
            assertThat(instance(journey)).isWaitingAt("Event_OrderWaitOver");
            assertThat(timerDue(journey)).isEqualTo(NOW.plus(Duration.ofDays(14)));
        }

        // version 2: the order wait is 10 days, and the reminder's wait is a new step (another id)
        String changed = original.replace("'orderWait', 'P14D'", "'orderWait', 'P10D'")
                .replace("Event_ReminderWaitOver", "Event_LastChance");
        deployAsModeler(template, changed);
        assertThat(version(convert)).isEqualTo(1);

        clock.set(NOW.plus(Duration.ofDays(2)));
        JsonPath dryRun = as(ANALYST)
                .body(Map.of("targetVersion", 2, "updateTimers", true))
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(200)
                .body("dryRun", equalTo(true))
                .body("batches", hasSize(0))
                .extract()
                .jsonPath();
        assertThat(dryRun.getLong("journeys")).isEqualTo(3);
        assertThat(dryRun.getLong("staying")).isEqualTo(1);
        assertThat(dryRun.getList("sources")).hasSize(1);
        assertThat(dryRun.getInt("sources[0].version")).isEqualTo(1);
        assertThat(dryRun.getLong("sources[0].journeys")).isEqualTo(4);
        assertThat(dryRun.getList("sources[0].steps.activityId"))
                .containsExactly("Event_OrderWaitOver", "Event_ReminderWaitOver");
        assertThat(dryRun.getLong("sources[0].steps[0].journeys")).isEqualTo(3);
        assertThat(dryRun.getString("sources[0].steps[0].name")).isEqualTo("No order within the wait");
        assertThat(dryRun.getBoolean("sources[0].steps[0].mapped")).isTrue();
        Map<String, Object> orderTimer = event(dryRun, 0, "Event_OrderWaitOver");
        assertThat(orderTimer)
                .containsEntry("kind", "TIMER")
                .containsEntry("changed", true)
                .containsEntry("outcome", "RECOMPUTED");
        assertThat(event(dryRun, 0, "StartEvent_OrderPlaced"))
                .containsEntry("kind", "MESSAGE")
                .containsEntry("definition", "Msg_OrderPlaced")
                .containsEntry("outcome", "MOVES");
        assertThat(dryRun.getLong("sources[0].steps[1].journeys")).isEqualTo(1);
        assertThat(dryRun.getBoolean("sources[0].steps[1].mapped")).isFalse();
        assertThat(dryRun.getString("sources[0].steps[1].note")).contains("stay on version 1");
        // without updateTimers the changed wait keeps its due date
        as(ANALYST)
                .body(Map.of("targetVersion", 2))
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(200)
                .body("updateTimers", equalTo(false))
                .body(
                        "sources[0].steps[0].events.find { it.activityId == 'Event_OrderWaitOver' }.outcome",
                        equalTo("KEEPS_DUE_DATE"));
        assertThat(version(convert)).as("a dry run moves nothing").isEqualTo(1);

        var started = as(ANALYST)
                .body(Map.of("targetVersion", 2, "dryRun", false, "updateTimers", true))
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(202)
                .body("dryRun", equalTo(false))
                .body("batches", hasSize(1))
                .body("batches[0].journeys", equalTo(3))
                .body("batches[0].sourceVersion", equalTo(1))
                .extract();
        String batchId = started.path("batches[0].batchId");
        assertThat(started.header("Location")).endsWith("/api/campaigns/" + campaign + "/migrations/" + batchId);
        // a second request while the batch runs
        as(ANALYST)
                .body(Map.of("targetVersion", 2, "dryRun", false))
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(409)
                .body("detail", containsString(batchId));
        report(campaign, batchId)
                .body("state", equalTo("RUNNING"))
                .body("journeys.total", equalTo(3))
                .body("journeys.migrated", equalTo(0))
                .body("journeys.remaining", equalTo(3));

        // the seed job creates the migration jobs; one runs, then the node "dies": the rest are in the database
        runSeedJob(batchId);
        List<Job> jobs = migrationJobs(batchId);
        assertThat(jobs).hasSize(3);
        managementService.executeJob(jobs.get(0).getId());
        report(campaign, batchId).body("journeys.migrated", equalTo(1)).body("journeys.remaining", equalTo(2));
        // after the restart the engine's job executor takes the remaining jobs as any others
        migrationJobs(batchId).forEach(job -> managementService.executeJob(job.getId()));
        runMonitorJob(batchId);
        assertThat(managementService.createBatchQuery().batchId(batchId).count())
                .isZero();
        report(campaign, batchId)
                .body("state", equalTo("COMPLETED"))
                .body("journeys.migrated", equalTo(3))
                .body("journeys.failed", equalTo(0))
                .body("journeys.remaining", equalTo(0))
                .body("sourceVersion", equalTo(1))
                .body("targetVersion", equalTo(2))
                .body("requestedBy", equalTo(ANALYST.id));
        as(ANALYST)
                .get("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(200)
                .body("batchId", equalTo(List.of(batchId)));

        for (String journey : List.of(convert, lapse, third)) {
            assertThat(version(journey)).isEqualTo(2);
            assertThat(timerDue(journey))
                    .as("recomputed from the new wait, counted from the migration")
                    .isEqualTo(NOW.plus(Duration.ofDays(2)).plus(Duration.ofDays(10)));
        }
        assertThat(version(late)).as("at a step version 2 lacks: stays").isEqualTo(1);

        // an order through the intake still wakes a migrated journey
        placeOrder(customerOf(convert), clock.instant().minusSeconds(60), "40.00");
        assertThat(ended(convert)).isTrue();
        assertThat(exitOutcome(convert)).isEqualTo("CONVERTED");
        // the new wait ends at its new due date, and the journey goes on along version 2's path
        clock.set(NOW.plus(Duration.ofDays(12)).plusSeconds(1));
        runDueJobs(lapse);
        assertThat(instance(lapse)).hasPassed("Task_SendReminderEmail").isWaitingAt("Event_LastChance");
        // the journey that stayed ends along version 1
        clock.set(NOW.plus(Duration.ofDays(2)));
        runDueJobs(late);
        assertThat(ended(late)).isTrue();
        assertThat(exitOutcome(late)).isEqualTo("LAPSED");

        // the campaign still knows its migrated journeys: the report by version, the customer's journeys
        as(ANALYST)
                .queryParam("templateVersion", "2")
                .get("/api/campaigns/{id}/report", campaign)
                .then()
                .statusCode(200)
                .body("totals.journeys", equalTo(3));
        as(ANALYST)
                .get("/api/campaigns/{id}/report", campaign)
                .then()
                .statusCode(200)
                .body("totals.journeys", equalTo(4));
        as(SERVICE)
                .get("/api/customers/{id}/journeys", customerOf(lapse))
                .then()
                .statusCode(200)
                .body("[0].campaign", equalTo(campaign))
                .body("[0].templateVersion", equalTo(2))
                .body("[0].currentSteps", equalTo(List.of("No order after the reminder")));
    }

    @Test
    void timersKeepTheirDueDateUnlessAskedAndAJourneyThatMovedOnMeanwhileFailsInTheReport() throws Exception {
        String template = copy("win-back");
        String original =
                Files.readString(Path.of("bpmn/win-back.bpmn")).replace("\"win-back\"", "\"" + template + "\"");
        deployAsModeler(template, original);
        String campaign = winBackCampaign(template);
        String kept = enroll(campaign, customer());
        String movesOn = enroll(campaign, customer());
        runDueJobs(kept);
        runDueJobs(movesOn);
        deployAsModeler(
                template,
                original.replace("'orderWait', 'P14D'", "'orderWait', 'P10D'")
                        .replace("Event_ReminderWaitOver", "Event_LastChance"));

        clock.set(NOW.plus(Duration.ofDays(1)));
        String batchId = as(ADMIN)
                .body(Map.of("targetVersion", 2, "dryRun", false, "template", template))
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(202)
                .body("batches[0].journeys", equalTo(2))
                .extract()
                .path("batches[0].batchId");
        // before its migration job runs, one journey's wait ends and it reaches a step version 2 lacks
        clock.set(NOW.plus(Duration.ofDays(14)).plusSeconds(1));
        runDueJobs(movesOn);
        assertThat(instance(movesOn)).isWaitingAt("Event_ReminderWaitOver");

        runSeedJob(batchId);
        for (int attempt = 0; attempt < 10 && !migrationJobs(batchId).isEmpty(); attempt++) {
            for (Job job : migrationJobs(batchId)) {
                if (job.getRetries() == 0) {
                    continue;
                }
                try {
                    managementService.executeJob(job.getId());
                } catch (RuntimeException expected) {
                    // the engine refuses that journey; the job keeps its retries, then becomes an incident
                }
            }
            if (migrationJobs(batchId).stream().allMatch(job -> job.getRetries() == 0)) {
                break;
            }
        }
        assertThat(version(kept)).isEqualTo(2);
        assertThat(timerDue(kept)).as("unchanged: the old wait's due date").isEqualTo(NOW.plus(Duration.ofDays(14)));
        assertThat(version(movesOn)).isEqualTo(1);

        report(campaign, batchId)
                .body("state", equalTo("RUNNING"))
                .body("journeys.total", equalTo(2))
                .body("journeys.migrated", equalTo(1))
                .body("journeys.failed", equalTo(1))
                .body("journeys.remaining", equalTo(0))
                .body("failures", hasSize(1))
                .body("failures[0].journeyId", equalTo(movesOn))
                .body("failures[0].retriesLeft", equalTo(0))
                .body("failures[0].message", containsString("Event_ReminderWaitOver"));
        // the failed job is an incident; the batch runs until an operator retries or deletes it in Cockpit
        assertThat(runtimeService.createIncidentQuery().count()).isPositive();
        as(ANALYST)
                .body(Map.of("targetVersion", 2, "dryRun", false))
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(409);
        // the kept timer is already due: the migrated journey goes on along version 2
        runDueJobs(kept);
        assertThat(instance(kept)).isWaitingAt("Event_LastChance");
        // an operator gives up on the failed journey: Cockpit deletes the batch
        managementService.deleteBatch(batchId, false);
        report(campaign, batchId).body("state", equalTo("CANCELLED")).body("journeys.migrated", equalTo(1));
    }

    // ---- value-segment upgrade: the wait for the congratulation's open

    @Test
    void aJourneyWaitingForAnOpenMovesAndTheOpenThroughTheWebhookStillWakesIt() throws Exception {
        String template = copy("value-segment-upgrade");
        String original = Files.readString(Path.of("bpmn/value-segment-upgrade.bpmn"))
                .replace("\"value-segment-upgrade\"", "\"" + template + "\"");
        deployAsModeler(template, original);
        String opener = silverCustomer();
        String waiter = silverCustomer();
        String campaign = upgradeCampaign(template, segmentOf(List.of(opener, waiter)));
        sendGridAccepts("sg-congrats");
        placeOrder(opener, NOW.minusSeconds(60), "200.00");
        placeOrder(waiter, NOW.minusSeconds(60), "200.00");
        String opened = onlyJourney(campaign, opener);
        String notOpened = onlyJourney(campaign, waiter);
        runDueJobs(opened);
        runDueJobs(notOpened);
        assertThat(instance(opened)).isWaitingAt("Gateway_Opened");
        String congratulation = (String) variable(opened, "deliveryId");

        // version 2: the follow-up step has a new name, the open wait is unchanged
        deployAsModeler(
                template,
                original.replace("name=\"Start the follow-up scenario\"", "name=\"Start the satisfaction survey\""));

        JsonPath dryRun = as(ANALYST)
                .body(Map.of("targetVersion", 2))
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(dryRun.getList("sources[0].steps.activityId")).containsExactly("Gateway_Opened");
        assertThat(dryRun.getLong("sources[0].steps[0].journeys")).isEqualTo(2);
        assertThat(event(dryRun, 0, "Event_EmailOpened"))
                .containsEntry("kind", "MESSAGE")
                .containsEntry("definition", "Msg_EmailOpened")
                .containsEntry("outcome", "MOVES");
        assertThat(event(dryRun, 0, "Event_OpenWaitOver"))
                .containsEntry("kind", "TIMER")
                .containsEntry("changed", false)
                .containsEntry("outcome", "KEEPS_DUE_DATE");

        String batchId = as(ANALYST)
                .body(Map.of("targetVersion", 2, "dryRun", false))
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(202)
                .extract()
                .path("batches[0].batchId");
        runSeedJob(batchId);
        migrationJobs(batchId).forEach(job -> managementService.executeJob(job.getId()));
        runMonitorJob(batchId);
        assertThat(version(opened)).isEqualTo(2);
        assertThat(version(notOpened)).isEqualTo(2);
        assertThat(timerDue(notOpened)).isEqualTo(NOW.plus(Duration.ofDays(3)));

        // the open arrives through the signed SendGrid webhook after the migration
        sendGridAccepts("sg-survey");
        postSendGridEvents("[" + sendGridEvent("open", congratulation, emailOf(opener), "ev-open-m1", null) + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();
        assertThat(instance(opened)).hasPassed("Event_EmailOpened").isWaitingAt("Task_StartFollowUp");
        runDueJobs(opened);
        assertThat(ended(opened)).isTrue();
        assertThat(historyService
                        .createHistoricActivityInstanceQuery()
                        .processInstanceId(opened)
                        .activityId("Task_StartFollowUp")
                        .singleResult()
                        .getActivityName())
                .isEqualTo("Start the satisfaction survey");
    }

    // ---- access and bad input

    @Test
    void analystsAndAdministratorsMigrateOperatorsReadAndBadTargetsAreRefusedNamingTheField() throws Exception {
        String template = copy("win-back");
        String original =
                Files.readString(Path.of("bpmn/win-back.bpmn")).replace("\"win-back\"", "\"" + template + "\"");
        deployAsModeler(template, original);
        String campaign = winBackCampaign(template);
        String journey = enroll(campaign, customer());
        runDueJobs(journey);

        for (TestUsers refused : List.of(OPERATOR, TEAM, SERVICE)) {
            as(refused)
                    .body(Map.of("targetVersion", 1))
                    .post("/api/campaigns/{id}/migrations", campaign)
                    .then()
                    .statusCode(403);
        }
        as(TEAM).get("/api/campaigns/{id}/migrations", campaign).then().statusCode(403);
        as(OPERATOR).get("/api/campaigns/{id}/migrations", campaign).then().statusCode(200);
        RestAssured.given()
                .port(port)
                .contentType("application/json")
                .body("{\"targetVersion\": 1}")
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(401);

        as(ANALYST)
                .body(Map.of("targetVersion", 1))
                .post("/api/campaigns/{id}/migrations", "no-such-campaign")
                .then()
                .statusCode(404);
        as(ANALYST)
                .get("/api/campaigns/{id}/migrations/{batchId}", campaign, "no-such-batch")
                .then()
                .statusCode(404);
        refused(campaign, Map.of("targetVersion", 1), "targetVersion", "every running journey");
        refused(campaign, Map.of("targetVersion", 7), "targetVersion", "has no version 7");
        refused(campaign, Map.of("targetVersion", 0), "targetVersion", "1 or more");
        refused(campaign, Map.of("dryRun", true), "targetVersion", "is required");
        refused(campaign, Map.of("targetVersion", 1, "template", "win-back"), "template", "is not the template");
        as(ANALYST)
                .body("{\"targetVersion\": 1, \"template\": \"win\\u0000back\"}")
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("template"));
        as(ANALYST)
                .body("{\"targetVersion\": \"two\"}")
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("targetVersion"));
        assertThat(version(journey)).isEqualTo(1);
        assertThat(managementService.createBatchQuery().count()).isZero();

        // version 2 waits for a message where version 1 waits for the order timer (an administrator's model: the
        // message is none of Loyalflow's): the dry run says the timer ends and the message wait starts
        deployAs(
                ADMIN,
                template,
                original.replace(
                                "<bpmn:message id=\"Msg_OrderPlaced\" name=\"Msg_OrderPlaced\"/>",
                                "<bpmn:message id=\"Msg_OrderPlaced\" name=\"Msg_OrderPlaced\"/>"
                                        + "<bpmn:message id=\"Msg_Nudge\" name=\"Msg_Nudge\"/>")
                        .replaceFirst(
                                "(?s)<bpmn:timerEventDefinition id=\"TimerEventDefinition_OrderWait\">.*?"
                                        + "</bpmn:timerEventDefinition>",
                                "<bpmn:messageEventDefinition id=\"MessageEventDefinition_Nudge\" "
                                        + "messageRef=\"Msg_Nudge\"/>"));
        JsonPath replaced = as(ANALYST)
                .body(Map.of("targetVersion", 2))
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(event(replaced, 0, "Event_OrderWaitOver"))
                .containsEntry("kind", "TIMER")
                .containsEntry("targetDefinition", "MESSAGE Msg_Nudge")
                .containsEntry("outcome", "REPLACED");
        assertThat(managementService.createBatchQuery().count()).isZero();
    }

    private void refused(String campaign, Map<String, Object> body, String field, String message) {
        as(ANALYST)
                .body(body)
                .post("/api/campaigns/{id}/migrations", campaign)
                .then()
                .statusCode(422)
                .body("errors.field", hasItem(field))
                .body("errors.message", hasItem(containsString(message)));
    }

    // ---- helpers

    private static String copy(String shipped) {
        return shipped + "-m" + UUID.randomUUID().toString().substring(0, 8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(JsonPath plan, int step, String activityId) {
        List<Map<String, Object>> events = plan.getList("sources[0].steps[" + step + "].events");
        return events.stream()
                .filter(e -> activityId.equals(e.get("activityId")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no event " + activityId + " in " + events));
    }

    private io.restassured.response.ValidatableResponse report(String campaign, String batchId) {
        return as(ANALYST)
                .get("/api/campaigns/{id}/migrations/{batchId}", campaign, batchId)
                .then()
                .statusCode(200)
                .body("batchId", equalTo(batchId))
                .body("campaign", equalTo(campaign));
    }

    private Batch batch(String batchId) {
        return managementService.createBatchQuery().batchId(batchId).singleResult();
    }

    private void runSeedJob(String batchId) {
        List<Job> seeds = managementService
                .createJobQuery()
                .jobDefinitionId(batch(batchId).getSeedJobDefinitionId())
                .list();
        assertThat(seeds).hasSize(1);
        managementService.executeJob(seeds.get(0).getId());
    }

    private List<Job> migrationJobs(String batchId) {
        return managementService
                .createJobQuery()
                .jobDefinitionId(batch(batchId).getBatchJobDefinitionId())
                .orderByJobId()
                .asc()
                .list();
    }

    private void runMonitorJob(String batchId) {
        managementService
                .createJobQuery()
                .jobDefinitionId(batch(batchId).getMonitorJobDefinitionId())
                .list()
                .forEach(job -> managementService.executeJob(job.getId()));
    }

    /** What Camunda Modeler sends when an analyst clicks "Deploy". */
    private void deployAsModeler(String template, String bpmn) {
        deployAs(ANALYST, template, bpmn);
    }

    private void deployAs(TestUsers user, String template, String bpmn) {
        RestAssured.given()
                .port(port)
                .auth()
                .preemptive()
                .basic(user.id, user.password)
                .multiPart("deployment-name", template)
                .multiPart("deployment-source", "Camunda Modeler")
                .multiPart("deploy-changed-only", "true")
                .multiPart(
                        template + ".bpmn",
                        template + ".bpmn",
                        bpmn.getBytes(StandardCharsets.UTF_8),
                        "application/octet-stream")
                .post("/engine-rest/deployment/create")
                .then()
                .statusCode(200);
    }

    private String winBackCampaign(String template) {
        String id = "wb-m" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put("Task_SendOfferEmail", Map.of("templateId", TEMPLATE));
        messages.put("Task_SendOfferSms", Map.of("smsText", "15% off your next order: BACK15"));
        messages.put("Task_SendReminderEmail", Map.of("templateId", TEMPLATE));
        messages.put("Task_SendReminderSms", Map.of("smsText", "Last days for BACK15"));
        as(ANALYST)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Win them back",
                        "template",
                        template,
                        "settings",
                        Map.of(
                                "trigger",
                                Map.of("type", "API_ONLY"),
                                "sender",
                                Map.of("email", "offers@shop.example", "name", "The Shop"),
                                "messages",
                                messages,
                                "reentry",
                                Map.of("policy", "AFTER_EXIT"),
                                "exitGoal",
                                "ORDER",
                                "options",
                                Map.of("secondReminder", true))))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200);
        return id;
    }

    private String customer() {
        return newCustomer("m-" + UUID.randomUUID() + "@example.com", PHONE, NEW_YORK, true, false);
    }

    private String enroll(String campaign, String customerId) {
        return as(SERVICE)
                .body(Map.of("customerId", customerId))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(201)
                .extract()
                .path("processInstanceId");
    }

    private ProcessInstance instance(String id) {
        ProcessInstance running = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(id)
                .singleResult();
        if (running != null) {
            return running;
        }
        throw new AssertionError("journey " + id + " has ended");
    }

    private int version(String journey) {
        String definition = historyService
                .createHistoricProcessInstanceQuery()
                .processInstanceId(journey)
                .singleResult()
                .getProcessDefinitionId();
        return repositoryService.getProcessDefinition(definition).getVersion();
    }

    private Instant timerDue(String journey) {
        return managementService
                .createJobQuery()
                .processInstanceId(journey)
                .timers()
                .singleResult()
                .getDuedate()
                .toInstant();
    }

    private String customerOf(String journey) {
        return jdbc.queryForObject(
                "select c.customer_id from campaign_enrollment e join customer c on c.customer_key = e.customer_key "
                        + "where e.process_instance_id = ?",
                String.class,
                journey);
    }

    private String exitOutcome(String journey) {
        return jdbc.queryForObject(
                "select exit_outcome from campaign_enrollment where process_instance_id = ?", String.class, journey);
    }

    private String emailOf(String customerId) {
        return jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customerId);
    }

    /** A Silver customer: two orders of 200 in the last 12 months; a third makes Gold. */
    private String silverCustomer() {
        String id = newCustomer("up-" + UUID.randomUUID() + "@example.com", PHONE, NEW_YORK, true, true);
        placeOrder(id, NOW.minus(Duration.ofDays(30)), "200.00");
        placeOrder(id, NOW.minus(Duration.ofDays(29)), "200.00");
        return id;
    }

    private String segmentOf(List<String> customers) {
        String segment = "mig-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Migration test customers",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", customers)))
                .post("/api/segments")
                .then()
                .statusCode(201);
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        return segment;
    }

    private String upgradeCampaign(String template, String segment) {
        String id = "up-m" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put("Task_SendCongratulation", Map.of("templateId", TEMPLATE));
        messages.put("Task_SendReminderEmail", Map.of("templateId", "d-11111111111111111111111111111111"));
        messages.put("Task_SendReminderSms", Map.of("smsText", "Welcome to your new tier"));
        messages.put("Task_SendSurvey", Map.of("templateId", "d-22222222222222222222222222222222"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", segment));
        settings.put("trigger", Map.of("type", "TIER_CHANGED"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop Club"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("openWait", "P3D", "surveyWait", "P7D"));
        settings.put("arms", Map.of("Task_SplitReminder", "A:50, B:50"));
        settings.put("followUp", "satisfaction-survey");
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("options", Map.of("downgradeWarning", false));
        as(ANALYST)
                .body(Map.of("id", id, "name", "Congratulate upgrades", "template", template, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200);
        return id;
    }

    private String onlyJourney(String campaign, String customerId) {
        List<String> started = jdbc.queryForList(
                "select e.process_instance_id from campaign_enrollment e join customer c "
                        + "on c.customer_key = e.customer_key where e.campaign_key = ? and c.customer_id = ?",
                String.class,
                campaign,
                customerId);
        assertThat(started).hasSize(1);
        return started.get(0);
    }
}
