package io.loyalflow.audience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.MONITORING;
import static io.loyalflow.testsupport.TestUsers.OPERATOR;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static io.loyalflow.testsupport.TestUsers.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.testsupport.ScheduledProcessRuns;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Ad audiences through the whole service and Meta's SDK against WireMock: the members a journey step, a campaign's
 * setting or a segment wants reach Meta hashed, with ads consent only, in batches; consent withdrawn, erasure and
 * leaving take them out; a full replace runs as a session; rate limits are retried with backoff; a flagged audience
 * stops with an incident. Rounds start as in production: the audience-dispatch timer fires and the rounds' jobs run.
 * Runs on H2 and again on PostgreSQL.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AudienceSyncTest extends MessagingIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STEP_AUDIENCE = "step-test";
    private static final String OK_UPLOAD = "{\"audience_id\":\"1\",\"session_id\":\"9\",\"num_received\":1,"
            + "\"num_invalid_entries\":0,\"invalid_entry_samples\":{}}";

    @Autowired
    private HistoryService historyService;

    @Autowired
    private AdAudiences audiences;

    /** Every address and phone the test gave Meta's side a chance to see, raw or normalised. */
    private final List<String> personalData = new ArrayList<>();

    @BeforeEach
    void metaAcceptsEverything() {
        repositoryService
                .createDeployment()
                .name("audience-test-models")
                .enableDuplicateFiltering(true)
                .addClasspathResource("audience/audience-journey-test.bpmn")
                .deploy();
        metaHealth(200, "Normal");
        PROVIDERS.stubFor(post(urlPathMatching("/v24\\.0/[0-9]+/users")).willReturn(okJson(OK_UPLOAD)));
        PROVIDERS.stubFor(delete(urlPathMatching("/v24\\.0/[0-9]+/users")).willReturn(okJson(OK_UPLOAD)));
        PROVIDERS.stubFor(post(urlPathMatching("/v24\\.0/[0-9]+/usersreplace")).willReturn(okJson(OK_UPLOAD)));
        PROVIDERS.stubFor(post(urlPathEqualTo("/v24.0/act_" + META_AD_ACCOUNT + "/customaudiences"))
                .willReturn(okJson("{\"id\":\"23850000000001\"}")));
        if (audiences.find(STEP_AUDIENCE).isEmpty()) {
            createAudience(STEP_AUDIENCE, "238500000000" + "77", null);
        }
    }

    /** Nothing personal ever left unhashed, in any request of any test. */
    @AfterEach
    void noRequestCarriedPersonalData() {
        for (LoggedRequest request : PROVIDERS.findAll(anyRequestedFor(anyUrl()))) {
            String seen = request.getUrl() + "\n" + request.getBodyAsString();
            for (String value : personalData) {
                assertThat(seen.toLowerCase(Locale.ROOT))
                        .as("a request to " + request.getUrl())
                        .doesNotContain(value.toLowerCase(Locale.ROOT));
            }
        }
    }

    // ---- the journey step

    @Test
    void theStepAddsTheCustomerHashedAndOnlyWithAdsConsentAndRemovesThemLater() {
        String email = "Ann." + suffix() + "@Example.com";
        String ann = customer(email, "+14155550100", "OPTED_IN");
        String bob = customer("bob." + suffix() + "@example.com", "+14155550101", null);
        String cat = customer("cat." + suffix() + "@example.com", null, "OPTED_OUT");
        List<ProcessInstance> journeys = List.of(stepJourney(ann), stepJourney(bob), stepJourney(cat));
        journeys.forEach(j -> runDueJobs(j.getId()));

        dispatch(STEP_AUDIENCE);

        List<JsonNode> adds = payloads("POST", "/users");
        assertThat(adds).hasSize(1);
        assertThat(adds.get(0).path("schema").toString()).isEqualTo("[\"EMAIL_SHA256\",\"PHONE_SHA256\"]");
        assertThat(adds.get(0).path("data").toString())
                .isEqualTo("[[\"" + sha256(email.toLowerCase(Locale.ROOT)) + "\",\"" + sha256("14155550100") + "\"]]");
        JsonPath status = status(STEP_AUDIENCE);
        assertThat(status.getLong("members.onMeta")).isGreaterThanOrEqualTo(1);
        assertThat(status.getString("lastBatch.kind")).isEqualTo("ADD");
        assertThat(status.getInt("lastBatch.size")).isEqualTo(1);

        PROVIDERS.resetRequests();
        journeys.forEach(j -> runtimeService.correlateMessage("Msg_AudienceTestNext", j.getBusinessKey()));
        journeys.forEach(j -> runDueJobs(j.getId()));
        dispatch(STEP_AUDIENCE);
        assertThat(payloads("POST", "/users")).isEmpty();
        List<JsonNode> removals = payloads("DELETE", "/users");
        assertThat(removals).hasSize(1);
        assertThat(removals.get(0).path("data").toString())
                .isEqualTo("[[\"" + sha256(email.toLowerCase(Locale.ROOT)) + "\",\"" + sha256("14155550100") + "\"]]");
        assertThat(status(STEP_AUDIENCE).getString("lastBatch.kind")).isEqualTo("REMOVE");
    }

    // ---- the campaign setting

    @Test
    void aCampaignsJourneysJoinItsAudienceOnEntryAndLeaveItOnExit() {
        String audience = "campaign-" + suffix();
        createAudience(audience, "23851111111111", null);
        String campaign = campaign(audience);
        String email = "dan." + suffix() + "@example.com";
        String dan = customer(email, null, "OPTED_IN");
        as(SERVICE)
                .body(Map.of("customerId", dan))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(201);

        dispatch(audience);
        assertThat(payloads("POST", "/users", "23851111111111")).hasSize(1);
        assertThat(payloads("POST", "/users", "23851111111111")
                        .get(0)
                        .path("data")
                        .toString())
                .isEqualTo("[[\"" + sha256(email) + "\",\"\"]]");

        PROVIDERS.resetRequests();
        String journey = runtimeService
                .createProcessInstanceQuery()
                .processInstanceBusinessKey(campaign + ":" + dan)
                .singleResult()
                .getId();
        runDueJobs(journey);
        runtimeService.correlateMessage("Msg_AudienceTestNext", campaign + ":" + dan);
        runDueJobs(journey);
        runtimeService.correlateMessage("Msg_AudienceTestEnd", campaign + ":" + dan);
        assertThat(ended(journey)).isTrue();
        dispatch(audience);
        assertThat(payloads("DELETE", "/users", "23851111111111")).hasSize(1);
        JsonPath status = status(audience);
        assertThat(status.getLong("membersSent")).isEqualTo(1);
        assertThat(status.getLong("removals")).isEqualTo(1);
        assertThat(status.getLong("members.wanted")).isZero();
    }

    @Test
    void activationRefusesAnAdAudienceThatDoesNotExistOrFollowsASegment() {
        String segmentAudience = "seg-" + suffix();
        String segment = segment("nobody-" + suffix());
        createAudience(segmentAudience, "23852222222222", segment);
        for (String audience : List.of("no-such-audience", segmentAudience)) {
            String campaign = draftCampaign(audience);
            as(ANALYST)
                    .post("/api/campaigns/{id}/activate", campaign)
                    .then()
                    .statusCode(422)
                    .body("errors.field", org.hamcrest.Matchers.hasItem("settings.adAudience"));
        }
    }

    // ---- consent and erasure

    @Test
    void withdrawingAdsConsentRemovesTheCustomerAndGivingItAgainAddsThem() {
        String email = "eve." + suffix() + "@example.com";
        String eve = customer(email, null, "OPTED_IN");
        ProcessInstance journey = stepJourney(eve);
        runDueJobs(journey.getId());
        dispatch(STEP_AUDIENCE);
        assertThat(dataOf(payloads("POST", "/users"))).contains(sha256(email));

        PROVIDERS.resetRequests();
        adsConsent(eve, email, "OPTED_OUT", "2026-01-02T00:00:00Z");
        dispatch(STEP_AUDIENCE);
        assertThat(dataOf(payloads("DELETE", "/users"))).contains(sha256(email));
        assertThat(payloads("POST", "/users")).isEmpty();

        PROVIDERS.resetRequests();
        adsConsent(eve, email, "OPTED_IN", "2026-01-03T00:00:00Z");
        dispatch(STEP_AUDIENCE);
        assertThat(dataOf(payloads("POST", "/users"))).contains(sha256(email));
    }

    @Test
    void erasureRemovesTheCustomerFromMetaAndThenForgetsTheirHashes() {
        String email = "fay." + suffix() + "@example.com";
        String fay = customer(email, "+442079460018", "OPTED_IN");
        runDueJobs(stepJourney(fay).getId());
        dispatch(STEP_AUDIENCE);
        PROVIDERS.resetRequests();

        as(ADMIN).delete("/api/customers/{id}", fay).then().statusCode(204);
        dispatch(STEP_AUDIENCE);
        assertThat(dataOf(payloads("DELETE", "/users")))
                .contains("[\"" + sha256(email) + "\",\"" + sha256("442079460018") + "\"]");
        assertThat(jdbc.queryForObject(
                        "select count(*) from ad_audience_member where email_sha256 = ?", Integer.class, sha256(email)))
                .isZero();
    }

    // ---- a segment as the source

    @Test
    void aSegmentAudienceFollowsTheSegmentsMembers() {
        String prefix = "segaud-" + suffix();
        String email = "gus." + suffix() + "@example.com";
        String gus = customer(prefix + "-gus", email, null, "OPTED_IN", true);
        String hal = customer(prefix + "-hal", "hal." + suffix() + "@example.com", null, "OPTED_IN", false);
        placeOrder(gus, clock.instant().minus(Duration.ofDays(3)), "40.00"); // customers with orders have features
        placeOrder(hal, clock.instant().minus(Duration.ofDays(3)), "40.00");
        String segment = segment(prefix);
        String audience = "follows-" + suffix();
        createAudience(audience, "23853333333333", segment);

        dispatch(audience);
        assertThat(dataOf(payloads("POST", "/users", "23853333333333")))
                .isEqualTo("[[\"" + sha256(email) + "\",\"\"]]");

        PROVIDERS.resetRequests();
        emailConsent(gus, email, false);
        refreshSegment(segment);
        dispatch(audience);
        assertThat(dataOf(payloads("DELETE", "/users", "23853333333333"))).contains(sha256(email));
        assertThat(status(audience).getString("source")).isEqualTo("SEGMENT");
    }

    // ---- full replace

    @Test
    void tenThousandAndOneMembersGoInTwoRequestsAndAFullReplaceIsOneSessionOfTwoBatches() {
        String audience = "replace-" + suffix();
        createAudience(audience, "23854444444444", null);
        List<Long> keys = bulkCustomers(10_001);
        audiences.join(audience, keys);
        dispatch(audience);
        List<JsonNode> adds = payloads("POST", "/users", "23854444444444");
        assertThat(adds).as("10,001 members in two requests").hasSize(2);
        assertThat(adds.get(0).path("data").size()).isEqualTo(10_000);
        assertThat(adds.get(1).path("data").size()).isEqualTo(1);
        PROVIDERS.resetRequests();

        as(ANALYST).post("/api/audiences/{id}/replace", audience).then().statusCode(202);
        as(ANALYST).post("/api/audiences/{id}/replace", audience).then().statusCode(202); // asked twice: one replace

        dispatch(audience);

        List<LoggedRequest> replaces = requests("POST", "/usersreplace", "23854444444444");
        assertThat(replaces).hasSize(2);
        JsonNode first = part(replaces.get(0), "session");
        JsonNode second = part(replaces.get(1), "session");
        assertThat(first.path("session_id").asLong())
                .isEqualTo(second.path("session_id").asLong())
                .isPositive();
        assertThat(first.path("batch_seq").asInt()).isEqualTo(1);
        assertThat(second.path("batch_seq").asInt()).isEqualTo(2);
        assertThat(first.path("last_batch_flag").asBoolean()).isFalse();
        assertThat(second.path("last_batch_flag").asBoolean()).isTrue();
        assertThat(first.path("estimated_num_total").asLong()).isEqualTo(10_001);
        assertThat(part(replaces.get(0), "payload").path("data").size()).isEqualTo(10_000);
        assertThat(part(replaces.get(1), "payload").path("data").size()).isEqualTo(1);
        assertThat(payloads("POST", "/users", "23854444444444"))
                .as("a replace adds nobody else")
                .isEmpty();
        JsonPath status = status(audience);
        assertThat(status.getLong("membersSent")).as("the adds and the replace").isEqualTo(20_002);
        assertThat(status.getLong("members.onMeta")).isEqualTo(10_001);
        assertThat(status.getLong("members.pending")).isZero();
        assertThat(status.getString("replace.lastReplacedAt")).isNotNull();
        assertThat(status.getString("replace.startedAt")).isNull();
    }

    // ---- failures

    @Test
    void aRateLimitIsRetriedWithBackoffAndCountedAsAnError() {
        clock.set(java.time.Instant.parse("2026-12-07T03:00:00Z"));
        String audience = "limited-" + suffix();
        createAudience(audience, "23855555555555", null);
        String email = "ivy." + suffix() + "@example.com";
        audiences.join(audience, List.of(keyOf(customer(email, null, "OPTED_IN"))));
        PROVIDERS.stubFor(post(urlPathEqualTo("/v24.0/23855555555555/users"))
                .inScenario("limit")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"error\":{\"message\":\"(#80003) There have been too many calls to this ad-account.\","
                                        + "\"type\":\"OAuthException\",\"code\":80003,\"fbtrace_id\":\"x\"}}"))
                .willSetStateTo("calm"));
        PROVIDERS.stubFor(post(urlPathEqualTo("/v24.0/23855555555555/users"))
                .inScenario("limit")
                .whenScenarioStateIs("calm")
                .willReturn(aResponse().withStatus(503).withBody("unavailable"))
                .willSetStateTo("open"));
        PROVIDERS.stubFor(post(urlPathEqualTo("/v24.0/23855555555555/users"))
                .inScenario("limit")
                .whenScenarioStateIs("open")
                .willReturn(okJson(OK_UPLOAD)));

        String round = startRound(audience);
        runRound(round);
        Job retry = onlyJob(round);
        assertThat(retry.getExceptionMessage()).contains("80003");
        assertThat(retry.getDuedate().toInstant()).isEqualTo(clock.instant().plusSeconds(30));
        JsonPath status = status(audience);
        assertThat(status.getLong("errors")).isEqualTo(1);
        assertThat(status.getString("lastError.message")).contains("80003").doesNotContain(META_TOKEN);

        clock.advance(Duration.ofSeconds(31));
        runRound(round);
        assertThat(onlyJob(round).getDuedate().toInstant())
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
        assertThat(status(audience).getLong("errors")).isEqualTo(2);

        clock.advance(Duration.ofMinutes(3));
        runRound(round);
        assertThat(ended(round)).isTrue();
        assertThat(requests("POST", "/users", "23855555555555")).hasSize(3);
        assertThat(status(audience).getLong("membersSent")).isEqualTo(1);
        assertThat(runtimeService.createIncidentQuery().processInstanceId(round).count())
                .isZero();
    }

    @Test
    void aFlaggedAudienceStopsWithAnIncidentUntilAnAdministratorResumesIt() {
        clock.set(java.time.Instant.parse("2026-12-07T22:30:00Z"));
        String audience = "flagged-" + suffix();
        createAudience(audience, "23856666666666", null);
        String email = "jo." + suffix() + "@example.com";
        audiences.join(audience, List.of(keyOf(customer(email, null, "OPTED_IN"))));
        PROVIDERS.stubFor(get(urlPathEqualTo("/v24.0/23856666666666/"))
                .willReturn(okJson("{\"id\":\"23856666666666\",\"operation_status\":{\"code\":471,"
                        + "\"description\":\"This audience has been flagged for a policy violation\"}}")));

        String round = startRound(audience);
        runRound(round);
        Incident incident =
                runtimeService.createIncidentQuery().processInstanceId(round).singleResult();
        assertThat(incident.getActivityId()).isEqualTo(AudienceSyncProcess.Element.TASK_HOLD_FLAGGED.id());
        assertThat(incident.getIncidentMessage())
                .contains("Meta flagged ad audience '" + audience + "'")
                .contains("471")
                .contains("/api/audiences/" + audience + "/resume");
        assertThat(requests("POST", "/users", "23856666666666")).isEmpty();
        assertThat(status(audience).getString("status")).isEqualTo("FLAGGED");
        assertThat(status(audience).getString("flagged.reason")).contains("policy violation");

        dispatchOnly();
        assertThat(runtimeService
                        .createProcessInstanceQuery()
                        .processInstanceBusinessKey(audience)
                        .count())
                .as("no second round while the first waits on its incident")
                .isEqualTo(1);

        as(ANALYST).post("/api/audiences/{id}/resume", audience).then().statusCode(403);
        metaHealth(200, "Normal");
        as(ADMIN)
                .post("/api/audiences/{id}/resume", audience)
                .then()
                .statusCode(200)
                .body("status", equalTo("ACTIVE"));
        managementService.setJobRetries(onlyJob(round).getId(), 1);
        clock.advance(Duration.ofMinutes(2));
        runRound(round);
        assertThat(ended(round)).isTrue();
        dispatch(audience);
        assertThat(dataOf(payloads("POST", "/users", "23856666666666"))).contains(sha256(email));
    }

    @Test
    void aReplaceFlaggedMidwayStopsWithAnIncidentToo() {
        clock.set(java.time.Instant.parse("2026-12-07T23:30:00Z"));
        String audience = "flagged-replace-" + suffix();
        createAudience(audience, "23856666666667", null);
        audiences.join(audience, List.of(keyOf(customer("lee." + suffix() + "@example.com", null, "OPTED_IN"))));
        as(ANALYST).post("/api/audiences/{id}/replace", audience).then().statusCode(202);
        PROVIDERS.stubFor(get(urlPathEqualTo("/v24.0/23856666666667/"))
                .willReturn(okJson("{\"id\":\"23856666666667\",\"operation_status\":{\"code\":471,"
                        + "\"description\":\"Flagged\"}}")));
        String round = startRound(audience);
        runRound(round);
        Incident incident =
                runtimeService.createIncidentQuery().processInstanceId(round).singleResult();
        assertThat(incident.getActivityId()).isEqualTo(AudienceSyncProcess.Element.TASK_HOLD_FLAGGED.id());
        assertThat(requests("POST", "/usersreplace", "23856666666667")).isEmpty();
        as(ANALYST).post("/api/audiences/{id}/pause", audience).then().statusCode(409);
        as(ADMIN).post("/api/audiences/{id}/resume", audience).then().statusCode(200);
        managementService.setJobRetries(onlyJob(round).getId(), 1);
        clock.advance(Duration.ofMinutes(2));
        runRound(round);
        assertThat(ended(round)).isTrue();
    }

    @Test
    void aPausedAudienceEndsTheRoundUnderWayAndGetsNoNewOneUntilResumed() {
        String audience = "paused-" + suffix();
        createAudience(audience, "23859999999999", null);
        audiences.join(audience, bulkCustomers(10_001));
        as(ANALYST).post("/api/audiences/{id}/replace", audience).then().statusCode(202);
        String round = startRound(audience);
        runRound(round, 1); // the replace's first batch went: its session is open
        assertThat(status(audience).getInt("replace.nextBatch")).isEqualTo(2);
        long abandoned = part(
                        requests("POST", "/usersreplace", "23859999999999").get(0), "session")
                .path("session_id")
                .asLong();
        as(ANALYST)
                .post("/api/audiences/{id}/pause", audience)
                .then()
                .statusCode(200)
                .body("status", equalTo("PAUSED"));
        runRound(round);
        assertThat(ended(round)).isTrue();
        assertThat(requests("POST", "/usersreplace", "23859999999999")).hasSize(1);
        dispatchOnly();
        assertThat(runtimeService
                        .createProcessInstanceQuery()
                        .processInstanceBusinessKey(audience)
                        .count())
                .isZero();

        as(ANALYST).post("/api/audiences/{id}/resume", audience).then().statusCode(403);
        as(ADMIN)
                .post("/api/audiences/{id}/resume", audience)
                .then()
                .statusCode(200)
                .body("status", equalTo("ACTIVE"));
        PROVIDERS.resetRequests();
        dispatch(audience);
        // what Meta has after an abandoned session is unknown: the first round after the resume replaces anew
        List<LoggedRequest> replaces = requests("POST", "/usersreplace", "23859999999999");
        assertThat(replaces).hasSize(2);
        assertThat(part(replaces.get(0), "session").path("session_id").asLong()).isNotEqualTo(abandoned);
        assertThat(part(replaces.get(1), "session").path("last_batch_flag").asBoolean())
                .isTrue();
        assertThat(status(audience).getLong("members.onMeta")).isEqualTo(10_001);
    }

    /** Runs after the others: every step of both processes ran in one of them. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void everyStepOfTheSyncAndTheDispatchRan() {
        io.loyalflow.testsupport.FlowNodeCoverage.assertEveryFlowNodeRan(
                historyService, repositoryService, AudienceSyncProcess.KEY);
        io.loyalflow.testsupport.FlowNodeCoverage.assertEveryFlowNodeRan(
                historyService, repositoryService, AudienceDispatchProcess.KEY);
    }

    // ---- the API

    @Test
    void theStatusIsCountsThatEveryReaderOfTheDashboardSeesAndPrometheusShowsTheSame() {
        String audience = "counted-" + suffix();
        createAudience(audience, "23857777777777", null);
        audiences.join(audience, List.of(keyOf(customer("kim." + suffix() + "@example.com", null, "OPTED_IN"))));
        dispatch(audience);
        for (var reader : List.of(ANALYST, OPERATOR, SERVICE, ADMIN)) {
            as(reader)
                    .get("/api/audiences/{id}", audience)
                    .then()
                    .statusCode(200)
                    .body("membersSent", equalTo(1));
        }
        as(TEAM).get("/api/audiences/{id}", audience).then().statusCode(403);
        String body = as(ANALYST).get("/api/audiences/{id}", audience).asString();
        assertThat(body).doesNotContain("@example.com").doesNotContain("kim.");
        as(ANALYST).get("/api/audiences").then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem(audience));

        String scrape = as(MONITORING)
                .get("/actuator/prometheus")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(scrape)
                .containsPattern(
                        "loyalflow_audiences_members_sent_total\\{[^}]*audience=\"" + audience + "\"[^}]*} 1\\.0");
        assertThat(scrape)
                .containsPattern("loyalflow_audiences_batches_total\\{[^}]*audience=\"" + audience + "\"[^}]*} 1\\.0");
        assertThat(scrape)
                .containsPattern("loyalflow_audiences_flagged\\{[^}]*audience=\"" + audience + "\"[^}]*} 0\\.0");
    }

    @Test
    void creatingAnAudienceWithoutAMetaIdCreatesOneInTheAdAccount() {
        String audience = "created-" + suffix();
        as(ANALYST)
                .body(Map.of("id", audience, "name", "Lapsed buyers"))
                .post("/api/audiences")
                .then()
                .statusCode(201)
                .body("metaAudienceId", equalTo("23850000000001"))
                .body("source", equalTo("JOURNEYS"))
                .body("provider", equalTo("meta"));
        LoggedRequest create =
                requests("POST", "/customaudiences", "act_" + META_AD_ACCOUNT).get(0);
        assertThat(create.getBodyAsString()).contains("Lapsed buyers").contains("CUSTOM");
    }

    @Test
    void aFailedCreationAtMetaIsAProblemAndStoresNothing() {
        String audience = "not-created-" + suffix();
        PROVIDERS.stubFor(post(urlPathEqualTo("/v24.0/act_" + META_AD_ACCOUNT + "/customaudiences"))
                .willReturn(aResponse().withStatus(500).withBody("unavailable")));
        as(ANALYST)
                .body(Map.of("id", audience, "name", "Not created"))
                .post("/api/audiences")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("nothing was stored"));
        PROVIDERS.stubFor(post(urlPathEqualTo("/v24.0/act_" + META_AD_ACCOUNT + "/customaudiences"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Invalid token\",\"code\":190}}")));
        as(ANALYST)
                .body(Map.of("id", audience, "name", "Not created"))
                .post("/api/audiences")
                .then()
                .statusCode(502)
                .body("detail", containsString("190"))
                .body("detail", org.hamcrest.Matchers.not(containsString(META_TOKEN)));
        as(ANALYST).get("/api/audiences/{id}", audience).then().statusCode(404);
    }

    @Test
    void badRequestsAreRefusedNamingTheFieldAndChangeNothing() {
        String taken = "taken-" + suffix();
        createAudience(taken, "23858888888888", null);
        Map<String, Object> tooLong = new LinkedHashMap<>(Map.of("id", "x-" + suffix(), "name", "n".repeat(201)));
        Map<String, Object> withNul = Map.of("id", "y-" + suffix(), "name", "Lapsed\u0000");
        Map<String, Object> badId = Map.of("id", "Not An Id", "name", "n");
        Map<String, Object> badMeta = Map.of("id", "z-" + suffix(), "name", "n", "metaAudienceId", "act_12");
        Map<String, Object> noSegment = Map.of("id", "w-" + suffix(), "name", "n", "segment", "no-such-segment");
        List.of(
                        Map.entry(tooLong, "name"),
                        Map.entry(badId, "id"),
                        Map.entry(badMeta, "metaAudienceId"),
                        Map.entry(noSegment, "segment"))
                .forEach(bad -> as(ANALYST)
                        .body(bad.getKey())
                        .post("/api/audiences")
                        .then()
                        .statusCode(422)
                        .body("errors.field", org.hamcrest.Matchers.hasItem(bad.getValue())));
        as(ANALYST)
                .body(withNul)
                .post("/api/audiences")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("name"));
        as(ANALYST)
                .body(Map.of("id", taken, "name", "Again", "metaAudienceId", "1"))
                .post("/api/audiences")
                .then()
                .statusCode(409);
        as(ANALYST).body("{\"id\": ").post("/api/audiences").then().statusCode(400);
        as(SERVICE)
                .body(Map.of("id", "svc-" + suffix(), "name", "n"))
                .post("/api/audiences")
                .then()
                .statusCode(403);
        as(ANALYST).get("/api/audiences/{id}", "no-such-audience").then().statusCode(404);
        as(ANALYST).get("/api/audiences/{id}", "BAD ID").then().statusCode(422).body(containsString("id"));
        assertThat(status(taken).getString("name")).isEqualTo("Audience " + taken);
        assertThat(requests("POST", "/customaudiences", "act_" + META_AD_ACCOUNT))
                .isEmpty();
    }

    // ---- helpers

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private void createAudience(String id, String metaAudienceId, String segment) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("id", id, "name", "Audience " + id));
        if (metaAudienceId != null) {
            body.put("metaAudienceId", metaAudienceId);
        }
        if (segment != null) {
            body.put("segment", segment);
        }
        as(ANALYST).body(body).post("/api/audiences").then().statusCode(201);
    }

    private JsonPath status(String audience) {
        return as(ANALYST)
                .get("/api/audiences/{id}", audience)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private void metaHealth(int code, String description) {
        PROVIDERS.stubFor(get(urlPathMatching("/v24\\.0/[0-9]+/?"))
                .willReturn(okJson("{\"id\":\"1\",\"operation_status\":{\"code\":" + code + ",\"description\":\""
                        + description + "\"}}")));
    }

    private String customer(String email, String phone, String adsConsent) {
        return customer("c-" + UUID.randomUUID(), email, phone, adsConsent, true);
    }

    private String customer(String id, String email, String phone, String adsConsent, boolean emailConsent) {
        personalData.add(email);
        personalData.add(email.trim().toLowerCase(Locale.ROOT));
        if (phone != null) {
            personalData.add(phone);
            personalData.add(phone.replaceAll("[^0-9]", ""));
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("email", email);
        profile.put("phone", phone);
        Map<String, Object> consents = new LinkedHashMap<>();
        consents.put("email", consent(emailConsent ? "OPTED_IN" : "OPTED_OUT", "2025-01-01T00:00:00Z"));
        if (adsConsent != null) {
            consents.put("ads", consent(adsConsent, "2025-01-01T00:00:00Z"));
        }
        profile.put("consents", consents);
        as(SERVICE).body(profile).put("/api/customers/{id}", id).then().statusCode(201);
        return id;
    }

    private void adsConsent(String id, String email, String status, String statedAt) {
        as(SERVICE)
                .body(Map.of("email", email, "consents", Map.of("ads", consent(status, statedAt))))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200);
    }

    private void emailConsent(String id, String email, boolean optedIn) {
        as(SERVICE)
                .body(Map.of(
                        "email",
                        email,
                        "consents",
                        Map.of(
                                "email", consent(optedIn ? "OPTED_IN" : "OPTED_OUT", "2026-01-02T00:00:00Z"),
                                "ads", consent("OPTED_IN", "2025-01-01T00:00:00Z"))))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200);
    }

    private static Map<String, Object> consent(String status, String statedAt) {
        return Map.of("status", status, "source", "checkout", "statedAt", statedAt);
    }

    private long keyOf(String customerId) {
        return jdbc.queryForObject("select customer_key from customer where customer_id = ?", Long.class, customerId);
    }

    /** Customers with e-mail and ads consent written straight to the tables: setting up 10,001 through the API is slow. */
    private List<Long> bulkCustomers(int count) {
        String batch = "bulk-" + suffix() + "-";
        List<Object[]> customers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            customers.add(new Object[] {batch + i, batch + i + "@example.com"});
        }
        jdbc.batchUpdate(
                "insert into customer (customer_id, email, origin, version, created_at, updated_at) "
                        + "values (?, ?, 'PROFILE', 1, current_timestamp, current_timestamp)",
                customers);
        List<Long> keys = jdbc.queryForList(
                "select customer_key from customer where customer_id like ? order by customer_key",
                Long.class,
                batch + "%");
        jdbc.batchUpdate(
                "insert into customer_consent (customer_key, channel, status, source, stated_at, recorded_at) "
                        + "values (?, 'ads', 'OPTED_IN', 'test', current_timestamp, current_timestamp)",
                keys.stream().map(key -> new Object[] {key}).toList());
        assertThat(keys).hasSize(count);
        return keys;
    }

    private String segment(String customerIdPrefix) {
        String id = "seg-" + suffix();
        as(SERVICE)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Test " + id,
                        "conditions",
                        Map.of(
                                "and",
                                List.of(
                                        Map.of("field", "customerId", "op", "contains", "value", customerIdPrefix),
                                        Map.of("field", "emailConsent", "op", "eq", "value", true)))))
                .post("/api/segments")
                .then()
                .statusCode(201);
        refreshSegment(id);
        return id;
    }

    /**
     * Two refreshes, as two nights would: a defined segment's members come from the features of the refresh
     * before.
     */
    private void refreshSegment(String segment) {
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
    }

    private String draftCampaign(String adAudience) {
        String id = "aud-" + suffix();
        as(ANALYST)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Audience campaign",
                        "template",
                        "audience-journey-test",
                        "settings",
                        Map.of("trigger", Map.of("type", "API_ONLY"), "adAudience", adAudience)))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        return id;
    }

    private String campaign(String adAudience) {
        String id = draftCampaign(adAudience);
        as(ANALYST).post("/api/campaigns/{id}/activate", id).then().statusCode(200);
        return id;
    }

    private ProcessInstance stepJourney(String customerId) {
        return runtimeService.startProcessInstanceByKey(
                "audience-journey-test", "step:" + customerId, Map.of("customerId", customerId));
    }

    /** The audience-dispatch timer fires as in production; then the audience's round runs its jobs. */
    private void dispatch(String audience) {
        dispatchOnly();
        ProcessInstance round = runtimeService
                .createProcessInstanceQuery()
                .processDefinitionKey(AudienceSyncProcess.KEY)
                .processInstanceBusinessKey(audience)
                .singleResult();
        assertThat(round).as("a round of " + audience).isNotNull();
        runDueJobs(round.getId());
        assertThat(ended(round.getId()))
                .as("the round of " + audience + " ended")
                .isTrue();
    }

    private void dispatchOnly() {
        new ScheduledProcessRuns(AudienceDispatchProcess.KEY, managementService, historyService).fire();
    }

    /** Runs the round's due jobs like the job executor: a failed job is recorded (retries, incident), not thrown. */
    private void runRound(String round) {
        runRound(round, 50);
    }

    private void runRound(String round, int rounds) {
        for (int i = 0; i < rounds; i++) {
            List<Job> due = managementService
                    .createJobQuery()
                    .processInstanceId(round)
                    .executable()
                    .list();
            if (due.isEmpty()) {
                return;
            }
            for (Job job : due) {
                try {
                    managementService.executeJob(job.getId());
                } catch (RuntimeException failed) {
                    // recorded by the engine as the job executor would
                }
            }
        }
    }

    private String startRound(String audience) {
        dispatchOnly();
        return runtimeService
                .createProcessInstanceQuery()
                .processDefinitionKey(AudienceSyncProcess.KEY)
                .processInstanceBusinessKey(audience)
                .singleResult()
                .getId();
    }

    private List<LoggedRequest> requests(String method, String endpoint) {
        return PROVIDERS.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(r -> r.getMethod().getName().equals(method)
                        && r.getUrl().split("\\?")[0].replaceAll("/$", "").equals(endpoint))
                .toList();
    }

    private List<LoggedRequest> requests(String method, String endpoint, String node) {
        return requests(method, "/v24.0/" + node + endpoint);
    }

    private List<JsonNode> payloads(String method, String endpoint) {
        return requests(method, "/v24.0/" + metaIdOf(STEP_AUDIENCE) + endpoint).stream()
                .map(r -> part(r, "payload"))
                .toList();
    }

    private List<JsonNode> payloads(String method, String endpoint, String node) {
        return requests(method, endpoint, node).stream()
                .map(r -> part(r, "payload"))
                .toList();
    }

    private String metaIdOf(String audience) {
        return audiences.find(audience).orElseThrow().metaAudienceId();
    }

    private static String dataOf(List<JsonNode> payloads) {
        return payloads.stream().map(p -> p.path("data").toString()).reduce("", String::concat);
    }

    private static JsonNode part(LoggedRequest request, String name) {
        Request.Part part = request.getPart(name);
        assertThat(part).as("part " + name + " of " + request.getUrl()).isNotNull();
        try {
            return JSON.readTree(part.getBody().asString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
