package io.loyalflow.journey;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.journey.RetentionProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.RetentionProcess.Element.END_EVENT_NOT_ASKED;
import static io.loyalflow.journey.RetentionProcess.Element.END_EVENT_NO_FEEDBACK;
import static io.loyalflow.journey.RetentionProcess.Element.END_EVENT_TEAM_FOLLOWED_UP;
import static io.loyalflow.journey.RetentionProcess.Element.END_EVENT_THANKED;
import static io.loyalflow.journey.RetentionProcess.Element.EVENT_FEEDBACK_DELAY;
import static io.loyalflow.journey.RetentionProcess.Element.GATEWAY_FEEDBACK;
import static io.loyalflow.journey.RetentionProcess.Element.TASK_SEND_RE_ENGAGEMENT;
import static io.loyalflow.journey.RetentionProcess.Element.TASK_TEAM_FOLLOW_UP;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.platform.security.LoyalflowGroups;
import io.loyalflow.testsupport.CampaignEntryRuns;
import io.loyalflow.testsupport.FlowNodeCoverage;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
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
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The retention template end to end, entered the way production enters it: orders make a customer overdue by
 * their own rhythm, the segment refresh puts them into churn-risk, the scheduled campaign-entry run starts the
 * journey, SendGrid (WireMock) gets the re-engagement e-mail and, after the campaign's feedback delay, the feedback
 * request; the answer comes as the customer event FeedbackGiven over the API. A reason the shop can act on gives
 * the team a Tasklist task that only the team sees; another is thanked; an order converts; no answer ends after the
 * wait. Runs on H2 and, as a database test, on PostgreSQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetentionJourneyTest extends MessagingIntegrationTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    /** 01:30 in London on the night the clocks go back (the first 01:30, still BST): the e-mail window is shut. */
    private static final Instant CHANGE_NIGHT =
            ZonedDateTime.of(2030, 10, 27, 1, 30, 0, 0, LONDON).toInstant();
    /** The window opens at 08:00 GMT that morning, 08:00 UTC, not 07:00 UTC as it would have in BST. */
    private static final Instant WINDOW_OPENS = Instant.parse("2030-10-27T08:00:00Z");
    /** A weekday afternoon in London, inside the e-mail window. */
    private static final Instant AFTERNOON = Instant.parse("2030-11-12T14:20:00Z");

    private static final String RE_ENGAGEMENT = "d-7e000000000000000000000000000001";
    private static final String FEEDBACK_REQUEST = "d-7e000000000000000000000000000002";
    private static final String THANKS = "d-7e000000000000000000000000000003";
    private static final String TEAM_MEMBER = "rita.retention";
    private static final String TEAM_PASSWORD = "team-password-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    HistoryService historyService;

    @Autowired
    TaskService taskService;

    @BeforeEach
    void setUp() {
        clock.set(AFTERNOON);
        senderVerified(true);
        sendGridAccepts("sg-retention");
    }

    // ---- customers, campaign, entry

    /** A customer who ordered 91 and 61 days ago: a median interval of 30 days, overdue since day 60. */
    private String lapsingCustomer() {
        String customer = newCustomer("keep-" + UUID.randomUUID() + "@example.com", null, "Europe/London", true, false);
        order(customer, clock.instant().minus(Duration.ofDays(91)));
        order(customer, clock.instant().minus(Duration.ofDays(61)));
        return customer;
    }

    private String order(String customerId, Instant placedAt) {
        String orderId = "o-" + UUID.randomUUID();
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        orderId,
                        "customerId",
                        customerId,
                        "placedAt",
                        placedAt.toString(),
                        "amount",
                        new BigDecimal("24.00"),
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of(
                                "sku",
                                "CD-" + UUID.randomUUID().toString().substring(0, 6),
                                "category",
                                "Jazz",
                                "quantity",
                                1,
                                "unitPrice",
                                new BigDecimal("24.00")))))
                .post("/api/orders")
                .then()
                .statusCode(201);
        return orderId;
    }

    /** A retention campaign for these customers only (the shared database has other churn risks). */
    private String activeCampaign(List<String> customers, boolean teamTask) {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                "Task_SendReEngagement",
                Map.of(
                        "templateId",
                        RE_ENGAGEMENT,
                        "templateData",
                        Map.of("name", "{{firstName}}", "products", "{{var.recommendations}}")));
        messages.put("Task_SendFeedbackRequest", Map.of("templateId", FEEDBACK_REQUEST));
        messages.put("Task_SendThanks", Map.of("templateId", THANKS));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "churn-risk",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", customers)));
        settings.put("trigger", Map.of("type", "SEGMENT_ENTERED"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("feedbackDelay", "P3D", "feedbackWait", "P10D"));
        settings.put("exitGoal", "ORDER");
        if (teamTask) {
            settings.put(
                    "teamTask",
                    Map.of("title", "Call back a leaving customer", "description", "They told us why they left."));
        }
        String id = "keep-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id", id, "name", "Keep our customers", "template", RetentionProcess.KEY, "settings", settings))
                .post("/api/campaigns")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
        return id;
    }

    /** The nightly refresh finds the churn risks; the scheduled entry run starts their journeys. */
    private void refreshAndEnter() {
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        new CampaignEntryRuns(managementService, historyService).fire();
    }

    private ProcessInstance journey(String campaign, String customerId) {
        List<String> started = jdbc.queryForList(
                "select e.process_instance_id from campaign_enrollment e join customer c "
                        + "on c.customer_key = e.customer_key where e.campaign_key = ? and c.customer_id = ?",
                String.class,
                campaign,
                customerId);
        assertThat(started).as("journeys of %s in %s", customerId, campaign).hasSize(1);
        return runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(started.get(0))
                .singleResult();
    }

    private void feedback(String customerId, String reason, String comment) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", reason);
        data.put("comment", comment);
        as(SERVICE)
                .contentType(ContentType.JSON)
                .body(Map.of("type", "FeedbackGiven", "data", data))
                .post("/api/customers/{id}/events", customerId)
                .then()
                .statusCode(201);
    }

    private String exitOutcome(String processInstanceId) {
        return jdbc.queryForObject(
                "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                String.class,
                processInstanceId);
    }

    private Instant timerDue(String processInstanceId) {
        return managementService
                .createJobQuery()
                .processInstanceId(processInstanceId)
                .timers()
                .singleResult()
                .getDuedate()
                .toInstant();
    }

    private String email(String customerId) {
        return jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customerId);
    }

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

    /** Waits the campaign's feedback delay: the request goes out. */
    private void feedbackRequested(ProcessInstance journey) {
        assertThat(journey).isWaitingAt(EVENT_FEEDBACK_DELAY.id());
        clock.set(timerDue(journey.getId()));
        runDueJobs(journey.getId());
    }

    // ---- the paths

    @Test
    @Order(1)
    void enteredAtNightOnTheClockChangeTheEmailWaitsForMorningAndAControllableReasonGivesTheTeamATask()
            throws Exception {
        teamMember();
        clock.set(CHANGE_NIGHT);
        String customer = lapsingCustomer();
        String campaign = activeCampaign(List.of(customer), true);

        refreshAndEnter();
        ProcessInstance journey = journey(campaign, customer);

        // 01:30 on the night the clocks go back: the re-engagement e-mail waits for 08:00 GMT, 08:00 UTC
        runDueJobs(journey.getId());
        Map<String, Object> deferred = deliveryOf(journey, TASK_SEND_RE_ENGAGEMENT.id());
        assertThat(deferred).containsEntry("status", "DEFERRED").containsEntry("gate_decision", "QUIET_HOURS");
        assertThat(instant(deferred.get("retry_at"))).isEqualTo(WINDOW_OPENS);
        assertThat(emailsTo(email(customer))).isEmpty();
        clock.set(WINDOW_OPENS);
        deferredSends.resumeDue();
        runDueJobs(journey.getId());
        assertThat(emailsTo(email(customer))).containsExactly(RE_ENGAGEMENT);

        // the campaign's feedback delay, three days
        assertThat(timerDue(journey.getId())).isEqualTo(WINDOW_OPENS.plus(Duration.ofDays(3)));
        feedbackRequested(journey);
        assertThat(emailsTo(email(customer))).containsExactly(RE_ENGAGEMENT, FEEDBACK_REQUEST);
        assertThat(journey).isWaitingAt(GATEWAY_FEEDBACK.id());

        feedback(customer, "price", "Ann Lee, 12 High Street: your prices went up");
        runDueJobs(journey.getId());

        assertThat(journey).isWaitingAt(TASK_TEAM_FOLLOW_UP.id());
        assertThat(variable(journey.getId(), JourneyVariables.LEAVE_REASON.name()))
                .isEqualTo("PRICE");
        assertThat(variable(journey.getId(), JourneyVariables.CONTROLLABLE.name()))
                .isEqualTo(true);
        Task task =
                taskService.createTaskQuery().processInstanceId(journey.getId()).singleResult();
        assertThat(task.getName()).isEqualTo("Call back a leaving customer");
        // the task names the customer by id, never by the comment's personal data
        assertThat(task.getDescription()).contains("Customer " + customer).doesNotContain("High Street");
        assertThat(historyService
                        .createHistoricVariableInstanceQuery()
                        .processInstanceId(journey.getId())
                        .list())
                .noneMatch(v -> String.valueOf(v.getValue()).contains("High Street"));

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
                    .body("name", equalTo(List.of("Call back a leaving customer")));
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

        assertThat(journey).isEnded().hasPassed(END_EVENT_TEAM_FOLLOWED_UP.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("TEAM_FOLLOWED_UP");
        assertThat(emailsTo(email(customer))).containsExactly(RE_ENGAGEMENT, FEEDBACK_REQUEST);
    }

    @Test
    @Order(2)
    void aReasonOutsideTheShopsControlIsThankedAndGivesNoTask() throws Exception {
        String customer = lapsingCustomer();
        String campaign = activeCampaign(List.of(customer), true);
        refreshAndEnter();
        ProcessInstance journey = journey(campaign, customer);
        runDueJobs(journey.getId());
        feedbackRequested(journey);

        feedback(customer, "MOVED", "moved abroad");
        runDueJobs(journey.getId());

        assertThat(journey).isEnded().hasPassed(END_EVENT_THANKED.id()).hasNotPassed(TASK_TEAM_FOLLOW_UP.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("THANKED");
        assertThat(taskService
                        .createTaskQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
        assertThat(historyService
                        .createHistoricTaskInstanceQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
        assertThat(emailsTo(email(customer))).containsExactly(RE_ENGAGEMENT, FEEDBACK_REQUEST, THANKS);
    }

    @Test
    @Order(3)
    void anOrderConvertsTheJourneyAndNothingIsSentAfterIt() throws Exception {
        String customer = lapsingCustomer();
        String campaign = activeCampaign(List.of(customer), true);
        refreshAndEnter();
        ProcessInstance journey = journey(campaign, customer);
        runDueJobs(journey.getId());
        assertThat(emailsTo(email(customer))).containsExactly(RE_ENGAGEMENT);

        order(customer, clock.instant());

        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id());
        assertThat(exitOutcome(journey.getId())).isEqualTo("CONVERTED");
        clock.set(clock.instant().plus(Duration.ofDays(30)));
        assertThat(runDueJobs(journey.getId())).isZero();
        assertThat(emailsTo(email(customer))).containsExactly(RE_ENGAGEMENT);
    }

    @Test
    @Order(4)
    void withoutAnAnswerTheJourneyEndsAfterTheWaitAndAnUnsubscribedCustomerIsNotAsked() throws Exception {
        String silent = lapsingCustomer();
        String unsubscribing = lapsingCustomer();
        String campaign = activeCampaign(List.of(silent, unsubscribing), false);
        refreshAndEnter();
        ProcessInstance quiet = journey(campaign, silent);
        ProcessInstance leaving = journey(campaign, unsubscribing);
        runDueJobs(quiet.getId());
        runDueJobs(leaving.getId());
        String leavingAddress = email(unsubscribing);
        as(SERVICE)
                .body(Map.of(
                        "consents",
                        Map.of(
                                "email",
                                Map.of(
                                        "status",
                                        "OPTED_OUT",
                                        "source",
                                        "preference-centre",
                                        "statedAt",
                                        clock.instant().toString()))))
                .put("/api/customers/{id}", unsubscribing)
                .then()
                .statusCode(200);

        feedbackRequested(quiet);
        feedbackRequested(leaving);

        assertThat(leaving).isEnded().hasPassed(END_EVENT_NOT_ASKED.id()).hasNotPassed(GATEWAY_FEEDBACK.id());
        assertThat(emailsTo(leavingAddress)).containsExactly(RE_ENGAGEMENT);
        assertThat(quiet).isWaitingAt(GATEWAY_FEEDBACK.id());
        Instant waitOver = clock.instant().plus(Duration.ofDays(10));
        assertThat(timerDue(quiet.getId())).isEqualTo(waitOver);
        clock.set(waitOver);
        runDueJobs(quiet.getId());
        assertThat(quiet).isEnded().hasPassed(END_EVENT_NO_FEEDBACK.id());
        assertThat(exitOutcome(quiet.getId())).isEqualTo("NO_FEEDBACK");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheTemplateRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(historyService, repositoryService, RetentionProcess.KEY);
    }

    // ---- Tasklist

    private void teamMember() {
        if (identityService.createUserQuery().userId(TEAM_MEMBER).count() == 0) {
            User user = identityService.newUser(TEAM_MEMBER);
            user.setPassword(TEAM_PASSWORD);
            user.setFirstName("Rita");
            user.setLastName("Retention");
            identityService.saveUser(user);
            identityService.createMembership(TEAM_MEMBER, LoyalflowGroups.TEAM);
        }
    }

    /** The engine REST API finds its engine in Camunda's static registry: this context's engine, put back after. */
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
}
