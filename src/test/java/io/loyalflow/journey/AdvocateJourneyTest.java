package io.loyalflow.journey;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_NO_RESPONSE;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_PASSIVE;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_REFERRED;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_REVIEWED;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_SERVICE_FOLLOWED_UP;
import static io.loyalflow.journey.AdvocateProcess.Element.GATEWAY_RESPONSE;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_ASK_REFERRAL;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_ASK_REVIEW;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_READ_CUSTOMER;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_SEND_THANK_YOU;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_SERVICE_FOLLOW_UP;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_SPLIT_ASK;
import static io.loyalflow.journey.JourneyVariables.CUSTOMER_EVENT_ID;
import static io.loyalflow.journey.JourneyVariables.NPS_GROUP;
import static io.loyalflow.journey.JourneyVariables.SURVEY_SCORE;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.END_EVENT_ANSWERED;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.GATEWAY_ANSWER;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.GATEWAY_OPENED;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_CONGRATULATION;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SPLIT_REMINDER;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_ID;
import static io.loyalflow.segment.SegmentVariables.NEW_TIER;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.platform.security.LoyalflowGroups;
import io.loyalflow.testsupport.FlowNodeCoverage;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
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
import org.camunda.bpm.engine.IdentityService;
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
 * The advocate template as campaigns, through the whole service: a survey answer reported over
 * {@code POST /api/customers/{id}/events} enters SURVEY_ANSWERED campaigns in the request's transaction
 * (once per event id; an answer without a valid score enters nobody); promoters are asked for a referral (with
 * their share link, as SendGrid receives it) or a review and end Referred or Reviewed; passives get nothing or a
 * thank-you; detractors become a Tasklist task for the service team (score and comment for the team, not for
 * analysts), with no marketing message; the top tier enters by TIER_CHANGED; the value-tier upgrade's
 * satisfaction survey routes its answer here; an answer at night on a DST change waits for the morning. Runs on H2
 * and, as a "database" test, on PostgreSQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdvocateJourneyTest extends MessagingIntegrationTest {

    private static final Instant NOW = Instant.parse("2031-04-08T15:00:00Z"); // daytime in New York
    private static final String NEW_YORK = "America/New_York";
    private static final String SHARE_URL = "https://mention-me.example/m/ole/cj6qx-ann-lee";
    private static final String REVIEW_TEMPLATE = "d-44444444444444444444444444444444";
    private static final String THANKS_TEMPLATE = "d-55555555555555555555555555555555";
    private static final String TEAM_MEMBER = "tom.team";
    private static final String TEAM_PASSWORD = "team-password-for-advocate-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    HistoryService historyService;

    @Autowired
    TaskService taskService;

    @Autowired
    IdentityService identityService;

    @BeforeEach
    void daytime() {
        clock.set(NOW);
        senderVerified(true);
        sendGridAccepts("sg-" + UUID.randomUUID());
    }

    // ---- customers, campaigns, events

    private String customer(boolean emailConsent) {
        String id = newCustomer("adv-" + UUID.randomUUID() + "@example.com", null, NEW_YORK, emailConsent, false);
        as(SERVICE)
                .body(Map.of(
                        "activity",
                        "Active",
                        "successfulReferrals",
                        1,
                        "shareUrl",
                        SHARE_URL,
                        "extendedRevenue",
                        new BigDecimal("120.00")))
                .put("/api/customers/{id}/referral", id)
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        return id;
    }

    /** A segment of exactly these customers, refreshed: the campaign's audience keeps other tests' customers out. */
    private String segmentOf(List<String> customers) {
        String segment = "advocates-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Advocate test customers",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", customers)))
                .post("/api/segments")
                .then()
                .statusCode(201);
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        return segment;
    }

    private Map<String, Object> settings(String segment, String trigger, String arms, boolean thankPassives) {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                TASK_ASK_REFERRAL.id(),
                Map.of(
                        "templateId",
                        TEMPLATE,
                        "templateData",
                        Map.of(
                                "name",
                                "{{firstName|there}}",
                                "shareLink",
                                "{{referralShareUrl|https://shop.example/refer}}")));
        messages.put(TASK_ASK_REVIEW.id(), Map.of("templateId", REVIEW_TEMPLATE));
        if (thankPassives) {
            messages.put(TASK_SEND_THANK_YOU.id(), Map.of("templateId", THANKS_TEMPLATE));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", segment));
        settings.put("trigger", Map.of("type", trigger));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("responseWait", "P14D"));
        settings.put("arms", Map.of(TASK_SPLIT_ASK.id(), arms));
        settings.put("options", Map.of("thankPassives", thankPassives));
        settings.put(
                "teamTask",
                Map.of(
                        "title",
                        "Call back an unhappy customer",
                        "description",
                        "The customer gave a low score: call, listen, and fix what went wrong."));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        return settings;
    }

    private String activeCampaign(Map<String, Object> settings) {
        String id = "happy-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id", id, "name", "Happy customers", "template", AdvocateProcess.KEY, "settings", settings))
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

    private String surveyCampaign(List<String> customers, String arms) {
        return activeCampaign(settings(segmentOf(customers), "SURVEY_ANSWERED", arms, false));
    }

    private ValidatableResponse answer(String customerId, String eventId, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("type", "SurveyAnswered");
        if (data != null) {
            body.put("data", data);
        }
        return as(SERVICE)
                .body(body)
                .post("/api/customers/{id}/events", customerId)
                .then()
                .log()
                .ifValidationFails();
    }

    private List<String> journeys(String campaign, String customerId) {
        return jdbc.queryForList(
                "select e.process_instance_id from campaign_enrollment e join customer c "
                        + "on c.customer_key = e.customer_key where e.campaign_key = ? and c.customer_id = ? "
                        + "order by e.enrollment_key",
                String.class,
                campaign,
                customerId);
    }

    private String exitOutcome(String processInstanceId) {
        return jdbc.queryForObject(
                "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                String.class,
                processInstanceId);
    }

    private Object historic(String processInstanceId, String name) {
        var value = historyService
                .createHistoricVariableInstanceQuery()
                .processInstanceId(processInstanceId)
                .variableName(name)
                .singleResult();
        return value == null ? null : value.getValue();
    }

    /** The dynamic template data and template id of every e-mail SendGrid received, in order. */
    private List<JsonNode> sentEmails() throws Exception {
        List<JsonNode> sent = new ArrayList<>();
        for (var request : PROVIDERS.findAll(postRequestedFor(urlEqualTo(SENDGRID_SEND)))) {
            sent.add(JSON.readTree(request.getBodyAsString()));
        }
        return sent;
    }

    // ---- promoters

    @Test
    @Order(1)
    void aPromoterIsAskedForAReferralWithTheShareLinkAndAReferralEndsTheJourneyAsReferred() throws Exception {
        String ann = customer(true);
        String campaign = surveyCampaign(List.of(ann), "REVIEW:0, REFERRAL:100");

        String started = answer(ann, "nps-1", Map.of("score", 10, "comment", "Love the shop"))
                .statusCode(201)
                .body("startedJourneys", hasSize(1))
                .body("note", nullValue())
                .extract()
                .path("startedJourneys[0]");
        assertThat(journeys(campaign, ann)).containsExactly(started);
        assertThat(variable(started, SURVEY_SCORE.name())).isEqualTo(10);
        assertThat(variable(started, CUSTOMER_EVENT_ID.name())).isEqualTo("nps-1");
        ProcessInstance journey = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(started)
                .singleResult();
        assertThat(journey.getBusinessKey()).isEqualTo(campaign + ":" + ann);

        // the same answer again (a retry): the first answer's journey, no second one
        answer(ann, "nps-1", Map.of("score", 10, "comment", "Love the shop"))
                .statusCode(200)
                .body("startedJourneys", equalTo(List.of(started)));
        assertThat(journeys(campaign, ann)).hasSize(1);

        runDueJobs(started);
        assertThat(journey)
                .hasPassed(TASK_READ_CUSTOMER.id(), TASK_SPLIT_ASK.id(), TASK_ASK_REFERRAL.id())
                .hasNotPassed(TASK_ASK_REVIEW.id())
                .isWaitingAt(GATEWAY_RESPONSE.id());
        assertThat(variable(started, NPS_GROUP.name())).isEqualTo("PROMOTER");
        assertThat(sentEmails()).singleElement().satisfies(email -> {
            assertThat(email.path("template_id").asText()).isEqualTo(TEMPLATE);
            JsonNode data = email.path("personalizations").get(0).path("dynamic_template_data");
            assertThat(data.path("shareLink").asText()).isEqualTo(SHARE_URL);
            assertThat(data.path("name").asText()).isEqualTo("Ann");
        });

        clock.set(NOW.plus(Duration.ofDays(2)));
        as(SERVICE)
                .body(Map.of(
                        "activity",
                        "Active",
                        "successfulReferrals",
                        2,
                        "shareUrl",
                        SHARE_URL,
                        "extendedRevenue",
                        new BigDecimal("180.00")))
                .put("/api/customers/{id}/referral", ann)
                .then()
                .statusCode(200);

        assertThat(journey).isEnded().hasPassed(END_EVENT_REFERRED.id());
        assertThat(exitOutcome(started)).isEqualTo("REFERRED");
    }

    @Test
    @Order(2)
    void aPromoterAskedForAReviewEndsReviewedWhenTheReviewIsReported() throws Exception {
        String bob = customer(true);
        String campaign = surveyCampaign(List.of(bob), "REVIEW:100, REFERRAL:0");

        String started = answer(bob, "nps-2", Map.of("score", 9))
                .statusCode(201)
                .extract()
                .path("startedJourneys[0]");
        runDueJobs(started);
        ProcessInstance journey = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(started)
                .singleResult();
        assertThat(journey).hasPassed(TASK_ASK_REVIEW.id()).isWaitingAt(GATEWAY_RESPONSE.id());
        assertThat(sentEmails())
                .singleElement()
                .satisfies(
                        email -> assertThat(email.path("template_id").asText()).isEqualTo(REVIEW_TEMPLATE));

        clock.set(NOW.plus(Duration.ofDays(1)));
        as(SERVICE)
                .body(Map.of("eventId", "review-2", "type", "ReviewWritten", "data", Map.of("stars", 5)))
                .post("/api/customers/{id}/events", bob)
                .then()
                .statusCode(201)
                .body("wokeJourneys", equalTo(List.of(started)));

        assertThat(journey).isEnded().hasPassed(END_EVENT_REVIEWED.id());
        assertThat(exitOutcome(started)).isEqualTo("REVIEWED");
        assertThat(journeys(campaign, bob)).hasSize(1);
    }

    @Test
    @Order(3)
    void aPromoterWithoutEmailConsentIsNotAskedAndEndsUnreachable() {
        String carl = customer(false);
        String campaign = surveyCampaign(List.of(carl), "REVIEW:50, REFERRAL:50");

        String started = answer(carl, "nps-3", Map.of("score", 10))
                .statusCode(201)
                .extract()
                .path("startedJourneys[0]");
        runDueJobs(started);

        assertThat(exitOutcome(started)).isEqualTo("UNREACHABLE");
        assertThat(journeys(campaign, carl)).hasSize(1);
        assertThat(sendGridRequests()).isZero();
    }

    // ---- passives and answers that enter nobody

    @Test
    @Order(4)
    void aPassiveGetsNothingOrTheThankYouAndMayEnterAgainAfterTheJourneyEnded() throws Exception {
        String dora = customer(true);
        String eve = customer(true);
        String quiet = surveyCampaign(List.of(dora), "REVIEW:50, REFERRAL:50");
        String thanking =
                activeCampaign(settings(segmentOf(List.of(eve)), "SURVEY_ANSWERED", "REVIEW:50, REFERRAL:50", true));

        String first = answer(dora, "nps-4a", Map.of("score", 7))
                .statusCode(201)
                .extract()
                .path("startedJourneys[0]");
        assertThat(exitOutcome(first)).isEqualTo("PASSIVE");
        assertThat(historyService
                        .createHistoricActivityInstanceQuery()
                        .processInstanceId(first)
                        .activityId(END_EVENT_PASSIVE.id())
                        .count())
                .isEqualTo(1);

        // a new answer after the journey ended enters again (AFTER_EXIT); its repeat does not
        clock.set(NOW.plus(Duration.ofDays(40)));
        String second = answer(dora, "nps-4b", Map.of("score", 8))
                .statusCode(201)
                .extract()
                .path("startedJourneys[0]");
        answer(dora, "nps-4b", Map.of("score", 8)).statusCode(200).body("startedJourneys", equalTo(List.of(second)));
        assertThat(journeys(quiet, dora)).containsExactly(first, second);
        assertThat(sendGridRequests()).isZero();

        String thanked = answer(eve, "nps-4c", Map.of("score", 8))
                .statusCode(201)
                .extract()
                .path("startedJourneys[0]");
        runDueJobs(thanked);
        assertThat(exitOutcome(thanked)).isEqualTo("THANKED");
        assertThat(journeys(thanking, eve)).containsExactly(thanked);
        assertThat(sentEmails())
                .singleElement()
                .satisfies(
                        email -> assertThat(email.path("template_id").asText()).isEqualTo(THANKS_TEMPLATE));
    }

    @Test
    @Order(5)
    void anAnswerWithoutAValidScoreIsStoredAndEntersNobody() {
        String fay = customer(true);
        String campaign = surveyCampaign(List.of(fay), "REVIEW:50, REFERRAL:50");

        answer(fay, "nps-5a", null)
                .statusCode(201)
                .body("startedJourneys", hasSize(0))
                .body("note", equalTo(AdvocateEntry.NO_SCORE));
        answer(fay, "nps-5b", Map.of("score", 11)).statusCode(201).body("startedJourneys", hasSize(0));
        answer(fay, "nps-5c", Map.of("score", "ten")).statusCode(201).body("startedJourneys", hasSize(0));
        answer(fay, "nps-5d", Map.of("score", 9.5)).statusCode(201).body("startedJourneys", hasSize(0));
        answer(fay, "nps-5e", Map.of("score", -1)).statusCode(201).body("startedJourneys", hasSize(0));
        // stored as before: a repeat is answered from the stored event, with the same note
        answer(fay, "nps-5c", Map.of("score", "ten"))
                .statusCode(200)
                .body("created", equalTo(false))
                .body("note", equalTo(AdvocateEntry.NO_SCORE));

        assertThat(journeys(campaign, fay)).isEmpty();
        assertThat(jdbc.queryForObject(
                        "select count(*) from customer_event e join customer c on c.customer_key = e.customer_key "
                                + "where c.customer_id = ?",
                        Integer.class,
                        fay))
                .isEqualTo(5);
        assertThat(sendGridRequests()).isZero();
    }

    // ---- detractors

    @Test
    @Order(6)
    void aDetractorBecomesATaskForTheServiceTeamThatAnalystsDoNotSeeAndGetsNoMarketingMessage() {
        teamMember();
        String gus = customer(true);
        String campaign = surveyCampaign(List.of(gus), "REVIEW:50, REFERRAL:50");

        String started = answer(gus, "nps-6", Map.of("score", 3, "comment", "My parcel arrived broken twice."))
                .statusCode(201)
                .extract()
                .path("startedJourneys[0]");
        runDueJobs(started);
        ProcessInstance journey = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(started)
                .singleResult();
        assertThat(journey).isWaitingAt(TASK_SERVICE_FOLLOW_UP.id()).hasNotPassed(TASK_READ_CUSTOMER.id());
        assertThat(variable(started, NPS_GROUP.name())).isEqualTo("DETRACTOR");
        Task task = taskService.createTaskQuery().processInstanceId(started).singleResult();
        assertThat(task.getName()).isEqualTo("Call back an unhappy customer");
        assertThat(task.getDescription())
                .startsWith("The customer gave a low score")
                .contains("Customer " + gus, campaign, "Survey score: 3 of 10.", "My parcel arrived broken twice.");
        // the comment is no process variable: Cockpit's readers of variables never see it
        assertThat(historyService
                        .createHistoricVariableInstanceQuery()
                        .processInstanceId(started)
                        .list())
                .noneMatch(v -> String.valueOf(v.getValue()).contains("broken"));

        throughThisEnginesRestApi(() -> {
            String filter = engine(TEAM_MEMBER, TEAM_PASSWORD)
                    .get("/engine-rest/filter?resourceType=Task&name=All tasks")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("[0].id");
            engine(TEAM_MEMBER, TEAM_PASSWORD)
                    .contentType(ContentType.JSON)
                    .body(Map.of("processInstanceId", started))
                    .post("/engine-rest/filter/{id}/list", filter)
                    .then()
                    .statusCode(200)
                    .body("name", equalTo(List.of("Call back an unhappy customer")))
                    .body("[0].description", org.hamcrest.Matchers.containsString("broken twice"));
            engine(ANALYST.id, ANALYST.password)
                    .get("/engine-rest/task?processInstanceId={id}", started)
                    .then()
                    .statusCode(200)
                    .body("size()", equalTo(0));
            // analysts read the task's history: the score, not the customer's words
            engine(ANALYST.id, ANALYST.password)
                    .get("/engine-rest/history/task?processInstanceId={id}", started)
                    .then()
                    .statusCode(200)
                    .body("size()", equalTo(1))
                    .body("[0].description", org.hamcrest.Matchers.containsString("Survey score: 3 of 10."))
                    .body("[0].description", not(org.hamcrest.Matchers.containsString("broken")));
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

        assertThat(journey).isEnded().hasPassed(END_EVENT_SERVICE_FOLLOWED_UP.id());
        assertThat(exitOutcome(started)).isEqualTo("SERVICE_FOLLOWED_UP");
        // once done, too, the task's history keeps the score, not the comment
        String kept = historyService
                .createHistoricTaskInstanceQuery()
                .processInstanceId(started)
                .singleResult()
                .getDescription();
        assertThat(kept).contains("Survey score: 3 of 10.").doesNotContain("broken");
        assertThat(sendGridRequests()).as("no marketing message to a detractor").isZero();
        assertThat(deliveriesOf(started)).isEmpty();
    }

    private void teamMember() {
        if (identityService.createUserQuery().userId(TEAM_MEMBER).count() == 0) {
            User user = identityService.newUser(TEAM_MEMBER);
            user.setPassword(TEAM_PASSWORD);
            user.setFirstName("Tom");
            user.setLastName("Team");
            identityService.saveUser(user);
            identityService.createMembership(TEAM_MEMBER, LoyalflowGroups.TEAM);
        }
    }

    /**
     * The engine REST API finds its engine in Camunda's static registry, where each Spring test context in this JVM
     * registers its own engine as "default" and the last one built wins: the calls go to this context's engine.
     */
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

    // ---- the top tier

    @Test
    @Order(7)
    void reachingTheTopTierEntersAsAPromoterAndATierBelowEndsAtOnce() throws Exception {
        String hal = customer(true);
        placeOrder(hal, NOW.minus(Duration.ofDays(60)), "200.00");
        placeOrder(hal, NOW.minus(Duration.ofDays(59)), "200.00"); // Silver
        String campaign =
                activeCampaign(settings(segmentOf(List.of(hal)), "TIER_CHANGED", "REVIEW:0, REFERRAL:100", false));

        placeOrder(hal, NOW.minus(Duration.ofDays(30)), "200.00"); // Gold: no advocate yet
        List<String> entered = journeys(campaign, hal);
        assertThat(entered).hasSize(1);
        assertThat(exitOutcome(entered.get(0))).isEqualTo("NOT_ADVOCATE");
        assertThat(historic(entered.get(0), SURVEY_SCORE.name())).isNull();
        assertThat(historic(entered.get(0), NEW_TIER.name())).isEqualTo("Gold");

        placeOrder(hal, NOW.minus(Duration.ofDays(20)), "200.00");
        placeOrder(hal, NOW.minus(Duration.ofDays(10)), "200.00");
        placeOrder(hal, NOW.minus(Duration.ofMinutes(5)), "200.00"); // 1200 in 6 orders: Platinum
        entered = journeys(campaign, hal);
        assertThat(entered).hasSize(2);
        String promoter = entered.get(1);
        assertThat(variable(promoter, NEW_TIER.name())).isEqualTo("Platinum");
        runDueJobs(promoter);
        assertThat(variable(promoter, NPS_GROUP.name())).isEqualTo("PROMOTER");
        assertThat(runtimeService
                        .createProcessInstanceQuery()
                        .processInstanceId(promoter)
                        .singleResult())
                .isWaitingAt(GATEWAY_RESPONSE.id())
                .hasPassed(TASK_ASK_REFERRAL.id());
        assertThat(sentEmails())
                .singleElement()
                .satisfies(email -> assertThat(email.path("personalizations")
                                .get(0)
                                .path("dynamic_template_data")
                                .path("shareLink")
                                .asText())
                        .isEqualTo(SHARE_URL));
        // a tier entry has no survey answer: no score
        assertThat(variable(promoter, SURVEY_SCORE.name())).isNull();
    }

    // ---- the satisfaction survey's answer routes here

    @Test
    @Order(8)
    void theUpgradeSurveysAnswerEndsTheSurveyAndStartsTheAdvocateJourney() {
        String ivy = customer(true);
        String jim = customer(true);
        for (String c : List.of(ivy, jim)) {
            placeOrder(c, NOW.minus(Duration.ofDays(30)), "200.00");
            placeOrder(c, NOW.minus(Duration.ofDays(29)), "200.00"); // Silver
        }
        String segment = segmentOf(List.of(ivy, jim));
        String upgrade = upgradeCampaign(segment);
        String advocates = activeCampaign(settings(segment, "SURVEY_ANSWERED", "REVIEW:0, REFERRAL:100", false));

        String ivySurvey = surveySent(upgrade, ivy);
        answer(ivy, "survey-ivy", Map.of("score", 10))
                .statusCode(201)
                .body("wokeJourneys", equalTo(List.of(ivySurvey)))
                .body("startedJourneys", hasSize(1));
        assertThat(historyService
                        .createHistoricActivityInstanceQuery()
                        .processInstanceId(ivySurvey)
                        .activityId(END_EVENT_ANSWERED.id())
                        .count())
                .isEqualTo(1);
        List<String> ivyAdvocate = journeys(advocates, ivy);
        assertThat(ivyAdvocate).hasSize(1);
        runDueJobs(ivyAdvocate.get(0));
        assertThat(variable(ivyAdvocate.get(0), NPS_GROUP.name())).isEqualTo("PROMOTER");
        assertThat(runtimeService
                        .createProcessInstanceQuery()
                        .processInstanceId(ivyAdvocate.get(0))
                        .singleResult())
                .hasPassed(TASK_ASK_REFERRAL.id())
                .isWaitingAt(GATEWAY_RESPONSE.id());

        String jimSurvey = surveySent(upgrade, jim);
        answer(jim, "survey-jim", Map.of("score", 3, "comment", "Too slow"))
                .statusCode(201)
                .body("wokeJourneys", equalTo(List.of(jimSurvey)))
                .body("startedJourneys", hasSize(1));
        List<String> jimAdvocate = journeys(advocates, jim);
        runDueJobs(jimAdvocate.get(0));
        assertThat(taskService
                        .createTaskQuery()
                        .processInstanceId(jimAdvocate.get(0))
                        .taskCandidateGroup(LoyalflowGroups.TEAM)
                        .count())
                .isEqualTo(1);
    }

    private String upgradeCampaign(String segment) {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(TASK_SEND_CONGRATULATION.id(), Map.of("templateId", TEMPLATE));
        messages.put(
                ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_EMAIL.id(),
                Map.of("templateId", "d-11111111111111111111111111111111"));
        messages.put(ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_SMS.id(), Map.of("smsText", "Welcome up"));
        messages.put(
                SatisfactionSurveyProcess.Element.TASK_SEND_SURVEY.id(),
                Map.of("templateId", "d-22222222222222222222222222222222"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", segment));
        settings.put("trigger", Map.of("type", "TIER_CHANGED"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop Club"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("openWait", "P3D", "surveyWait", "P7D"));
        settings.put("arms", Map.of(TASK_SPLIT_REMINDER.id(), "A:50, B:50"));
        settings.put("followUp", SatisfactionSurveyProcess.KEY);
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        String id = "upgrade-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id", id, "name", "Upgrade", "template", ValueSegmentUpgradeProcess.KEY, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST).post("/api/campaigns/{id}/activate", id).then().statusCode(200);
        return id;
    }

    /** The customer's third order lifts them to Gold; they open the congratulation; the survey goes out. */
    private String surveySent(String upgrade, String customerId) {
        placeOrder(customerId, clock.instant().minusSeconds(60), "200.00");
        List<String> upgraded = journeys(upgrade, customerId);
        assertThat(upgraded).hasSize(1);
        String journey = upgraded.get(0);
        runDueJobs(journey);
        assertThat(runtimeService
                        .createProcessInstanceQuery()
                        .processInstanceId(journey)
                        .singleResult())
                .isWaitingAt(GATEWAY_OPENED.id());
        String congratulation = (String) variable(journey, DELIVERY_ID.name());
        String email =
                jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customerId);
        postSendGridEvents("[" + sendGridEvent("open", congratulation, email, "open-" + customerId, null) + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();
        runDueJobs(journey);
        ProcessInstance survey = runtimeService
                .createProcessInstanceQuery()
                .processDefinitionKey(SatisfactionSurveyProcess.KEY)
                .processInstanceBusinessKey(upgrade + ":" + customerId)
                .singleResult();
        assertThat(survey).isNotNull();
        runDueJobs(survey.getId());
        assertThat(survey).isWaitingAt(GATEWAY_ANSWER.id());
        return survey.getId();
    }

    // ---- at an awkward time

    @Test
    @Order(9)
    void anAnswerAtNightOnTheDstChangeIsAskedForInTheMorningAndWithoutResponseTheJourneyEnds() {
        ZoneId newYork = ZoneId.of(NEW_YORK);
        // 02:30 does not exist on 8 March 2026 in New York (clocks jump from 02:00 to 03:00): 03:30 EDT
        Instant night = ZonedDateTime.of(2026, 3, 8, 2, 30, 0, 0, newYork).toInstant();
        Instant opening = Instant.parse("2026-03-08T12:00:00Z"); // 08:00 EDT
        clock.set(night);
        String kim = customer(true);
        String campaign = surveyCampaign(List.of(kim), "REVIEW:0, REFERRAL:100");

        String started = answer(kim, "nps-9", Map.of("score", 10))
                .statusCode(201)
                .extract()
                .path("startedJourneys[0]");
        runDueJobs(started);
        ProcessInstance journey = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(started)
                .singleResult();
        assertThat(journey).isWaitingAt(TASK_ASK_REFERRAL.id());
        assertThat(sendGridRequests()).as("nothing at night").isZero();
        Map<String, Object> deferred = deliveriesOf(started).get(0);
        assertThat(deferred).containsEntry("status", "DEFERRED").containsEntry("gate_decision", "QUIET_HOURS");
        assertThat(instant(deferred.get("retry_at"))).isEqualTo(opening);

        clock.set(opening);
        deferredSends.resumeDue();
        runDueJobs(started);
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(journey).isWaitingAt(GATEWAY_RESPONSE.id());

        clock.set(opening.plus(Duration.ofDays(14)).plusSeconds(1));
        runDueJobs(started);
        assertThat(journey).isEnded().hasPassed(END_EVENT_NO_RESPONSE.id());
        assertThat(exitOutcome(started)).isEqualTo("NO_RESPONSE");
        assertThat(journeys(campaign, kim)).hasSize(1);
    }

    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime time ? time.toInstant() : ((java.sql.Timestamp) value).toInstant();
    }

    // ---- activation

    @Test
    @Order(10)
    void activationRefusesAnAdvocateCampaignMissingItsTeamTaskOrShareLinkAndSurveyEntryForOtherTemplates() {
        Map<String, Object> settings = settings("tier-gold", "SEGMENT_ENTERED", "REVIEW:50, REFERRAL:50", false);
        settings.remove("teamTask");
        @SuppressWarnings("unchecked")
        Map<String, Object> messages = (Map<String, Object>) settings.get("messages");
        messages.put(TASK_ASK_REFERRAL.id(), Map.of("templateId", TEMPLATE, "templateData", Map.of("a", "b")));
        String id = "happy-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of("id", id, "name", "Bad", "template", AdvocateProcess.KEY, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(422)
                .body(
                        "errors.field",
                        hasItems(
                                "settings.trigger.type",
                                "settings.teamTask",
                                "settings.messages." + TASK_ASK_REFERRAL.id() + ".templateData"));

        Map<String, Object> winBack = new LinkedHashMap<>();
        winBack.put("audience", Map.of("segment", "win-back"));
        winBack.put("trigger", Map.of("type", "SURVEY_ANSWERED"));
        String other = "wb-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of("id", other, "name", "Not here", "template", WinBackProcess.KEY, "settings", winBack))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", other)
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("settings.trigger.type"));
    }

    /** Runs after the others: every step of the template ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheTemplateRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(historyService, repositoryService, AdvocateProcess.KEY);
    }
}
