package io.loyalflow.journey;

import static io.loyalflow.journey.JourneyConsistencyCheckProcess.Element.END_EVENT_CHECKED;
import static io.loyalflow.journey.JourneyVariables.CONSISTENCY_REPORT;
import static io.loyalflow.journey.JourneyVariables.CONSISTENT;
import static io.loyalflow.journey.JourneyVariables.ENROLLMENTS_WITHOUT_JOURNEY;
import static io.loyalflow.journey.JourneyVariables.JOURNEYS_WITHOUT_ENROLLMENT;
import static io.loyalflow.journey.JourneyVariables.UNRESOLVED;
import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_KEY;
import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_REVISION;
import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.MONITORING;
import static io.loyalflow.testsupport.TestUsers.OPERATOR;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.loyalflow.testsupport.CampaignEntryRuns;
import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.FlowNodeCoverage;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The consistency check on the database an entry that lost its journeys leaves behind (enrollment
 * rows committed, their process instances rolled back), and on the other ways journeys and
 * enrollments can drift apart: it repairs what can be repaired, reports the rest, and the customers
 * whose journeys were lost are entered again.
 */
@Import(CampaignEntryTest.Faults.class)
@TestPropertySource(properties = "loyalflow.campaigns.entry-chunk-size=10")
class JourneyConsistencyTest extends DatabaseTest {

    private static final String TEMPLATE = CampaignEntryTest.TEMPLATE;
    private static final String PROCESS = JourneyConsistencyCheckProcess.KEY;
    private static final Instant NOW = Instant.parse("2026-03-29T01:30:00Z"); // Europe's DST change night

    @Autowired
    RuntimeService runtime;

    @Autowired
    ManagementService management;

    @Autowired
    HistoryService history;

    @Autowired
    RepositoryService repository;

    @Autowired
    JdbcTemplate jdbc;

    CampaignEntryRuns runs;

    @BeforeEach
    void setUp() {
        clock.set(NOW);
        runs = new CampaignEntryRuns(management, history);
        repository
                .createDeployment()
                .name(TEMPLATE)
                .enableDuplicateFiltering(true)
                .addModelInstance(
                        TEMPLATE + ".bpmn",
                        Bpmn.createExecutableProcess(TEMPLATE)
                                .camundaHistoryTimeToLive(1)
                                .startEvent("StartEvent_Entered")
                                .serviceTask("Task_Check")
                                .camundaExpression("${entryFault.check(customerId)}")
                                .intermediateCatchEvent("Event_Wait")
                                .timerWithDuration("P30D")
                                .endEvent("EndEvent_Lapsed")
                                .done())
                .deploy();
    }

    @AfterEach
    void archiveCampaigns() {
        for (String id : jdbc.queryForList("select campaign_key from campaign where state = 'ACTIVE'", String.class)) {
            as(ANALYST).post("/api/campaigns/{id}/archive", id).then().statusCode(200);
        }
    }

    @Test
    void theCheckRepairsWhatALostEntryLeftAndReportsWhatNeedsAnOperator() {
        List<String> customers = customers(8);
        String segment = segmentOf(customers);
        String campaign = activeCampaign(segment);
        as(ANALYST).post("/api/segments/{id}/refresh", segment).then().statusCode(200);
        assertThat(runs.fire().enrolled(campaign)).isEqualTo(8);

        // three journeys that never existed: enrollment, participant and consumed event committed, the instance gone
        List<String> lost = customers.subList(0, 3);
        for (String customer : lost) {
            String instance = journeyOf(campaign, customer);
            runtime.deleteProcessInstance(instance, "simulated rollback", true);
            history.deleteHistoricProcessInstance(instance);
        }
        // a journey that ended without its enrollment hearing of it
        String convertedInstance = journeyOf(campaign, customers.get(3));
        JourneyVariables.JOURNEY_OUTCOME.on(runtime, convertedInstance).set("CONVERTED");
        runtime.deleteProcessInstance(convertedInstance, "ended unheard", true);
        // a journey whose enrollment row is missing
        String unrecorded = journeyOf(campaign, customers.get(4));
        long unrecordedKey = jdbc.queryForObject(
                "select enrollment_key from campaign_enrollment where " + "process_instance_id = ?",
                Long.class,
                unrecorded);
        jdbc.update(
                "update campaign_participant set active_enrollment = null where active_enrollment = ?", unrecordedKey);
        jdbc.update("delete from campaign_enrollment where enrollment_key = ?", unrecordedKey);
        // a second journey of a customer who is in one already
        String twice = customers.get(5);
        String duplicate = runtime.createProcessInstanceByKey(TEMPLATE)
                .businessKey(campaign + ":" + twice)
                .setVariable(CUSTOMER_ID.name(), twice)
                .setVariable(CAMPAIGN_KEY.name(), campaign)
                .setVariable(CAMPAIGN_REVISION.name(), 1)
                .setVariable(JourneyVariables.ENROLLMENT_KEY.name(), Variables.longValue(9_000_000_000L))
                .execute()
                .getId();

        // what the broken state does to a customer: refused for a journey that does not exist
        as(SERVICE)
                .body(Map.of("customerId", lost.get(0)))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(409)
                .body("errors.field", hasItem("customerId"));

        JsonPath dryRun = as(OPERATOR)
                .post("/api/journeys/consistency-check?repair=false")
                .then()
                .statusCode(200)
                .body("repair", equalTo(false))
                .extract()
                .jsonPath();
        assertThat(dryRun.getInt("enrollmentsWithoutJourney")).isEqualTo(4);
        assertThat(dryRun.getInt("journeysWithoutEnrollment")).isEqualTo(2);
        assertThat(dryRun.getInt("lost")).isZero();
        assertThat(openEnrollments(campaign)).as("a dry run changes nothing").isEqualTo(7);

        JsonPath report = as(OPERATOR)
                .post("/api/journeys/consistency-check")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(report.getInt("enrollmentsWithoutJourney")).isEqualTo(4);
        assertThat(report.getInt("exitRecorded")).isEqualTo(1);
        assertThat(report.getInt("lost")).isEqualTo(3);
        assertThat(report.getInt("requeued")).isEqualTo(3);
        assertThat(report.getInt("journeysWithoutEnrollment")).isEqualTo(2);
        assertThat(report.getInt("enrollmentRecorded")).isEqualTo(1);
        assertThat(report.getInt("unresolved")).isEqualTo(1);
        assertThat(report.getList("findings.processInstanceId")).contains(duplicate, unrecorded, convertedInstance);
        String duplicateAction =
                report.getString("findings.find { it.processInstanceId == '" + duplicate + "' }.action");
        assertThat(duplicateAction).contains("also in journey").contains("cancel one");

        assertThat(jdbc.queryForObject(
                        "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                        String.class,
                        convertedInstance))
                .isEqualTo("CONVERTED");
        assertThat(jdbc.queryForObject(
                        "select entry_cause from campaign_enrollment where process_instance_id = ?",
                        String.class,
                        unrecorded))
                .isEqualTo("repair");
        assertThat(jdbc.queryForList(
                        "select exit_outcome from campaign_enrollment e join customer c on c.customer_key "
                                + "= e.customer_key where e.campaign_key = ? and c.customer_id in (?, ?, ?)",
                        String.class,
                        campaign,
                        lost.get(0),
                        lost.get(1),
                        lost.get(2)))
                .containsOnly("LOST")
                .hasSize(3);

        // the lost customers enter again with the next run, each once
        assertThat(runs.fire().of(campaign)).containsExactlyEntriesOf(Map.of("ENROLLED", 3));
        for (String customer : lost) {
            assertThat(runtime.createProcessInstanceQuery()
                            .processInstanceBusinessKey(campaign + ":" + customer)
                            .count())
                    .as(customer)
                    .isEqualTo(1);
        }
        JsonPath again = as(ADMIN)
                .post("/api/journeys/consistency-check")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(again.getInt("enrollmentsWithoutJourney")).isZero();
        assertThat(again.getInt("journeysWithoutEnrollment"))
                .as("the duplicate waits for an operator")
                .isEqualTo(1);
        runtime.deleteProcessInstance(duplicate, "operator cancelled the duplicate");
        assertThat(as(OPERATOR)
                        .post("/api/journeys/consistency-check")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getInt("journeysWithoutEnrollment"))
                .isZero();
    }

    @Test
    void onlyOperatorsAndAdministratorsRunTheCheck() {
        as(ANALYST).post("/api/journeys/consistency-check").then().statusCode(403);
        as(SERVICE).post("/api/journeys/consistency-check").then().statusCode(403);
        as(MONITORING).post("/api/journeys/consistency-check").then().statusCode(403);
        anonymous().post("/api/journeys/consistency-check").then().statusCode(401);
        as(OPERATOR).post("/api/journeys/consistency-check?repair=maybe").then().statusCode(400);
    }

    @Test
    void theCheckRunsAsAProcessAtStartAndDailyAndReportsInItsVariables() {
        runtime.startProcessInstanceByMessage(JourneyConsistencyCheckProcess.Message.CHECK_JOURNEYS.messageName());
        Job daily = management
                .createJobQuery()
                .processDefinitionKey(PROCESS)
                .timers()
                .singleResult();
        assertThat(daily).as("the daily schedule").isNotNull();
        management.executeJob(daily.getId());
        List<Job> checks = management
                .createJobQuery()
                .processDefinitionKey(PROCESS)
                .messages()
                .list();
        assertThat(checks).hasSizeGreaterThanOrEqualTo(2);
        List<String> instances = new ArrayList<>();
        for (Job check : checks) {
            instances.add(check.getProcessInstanceId());
            management.executeJob(check.getId());
        }
        for (String instance : instances) {
            HistoricProcessInstance done = history.createHistoricProcessInstanceQuery()
                    .processInstanceId(instance)
                    .singleResult();
            assertThat(done.getEndActivityId()).isEqualTo(END_EVENT_CHECKED.id());
            Map<String, Object> variables = new LinkedHashMap<>();
            history.createHistoricVariableInstanceQuery()
                    .processInstanceId(instance)
                    .list()
                    .forEach(v -> variables.put(v.getName(), v.getValue()));
            assertThat(variables)
                    .containsKeys(
                            ENROLLMENTS_WITHOUT_JOURNEY.name(),
                            JOURNEYS_WITHOUT_ENROLLMENT.name(),
                            UNRESOLVED.name(),
                            CONSISTENT.name());
            assertThat((String) variables.get(CONSISTENCY_REPORT.name())).startsWith("checked ");
        }
        assertThat(management
                        .createJobQuery()
                        .processDefinitionKey(PROCESS)
                        .timers()
                        .count())
                .as("the next day is scheduled")
                .isEqualTo(1);
        FlowNodeCoverage.assertEveryFlowNodeRan(history, repository, JourneyConsistencyCheckProcess.KEY);
    }

    // ---- helpers

    private String journeyOf(String campaign, String customer) {
        return runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(campaign + ":" + customer)
                .singleResult()
                .getId();
    }

    private int openEnrollments(String campaign) {
        return jdbc.queryForObject(
                "select count(*) from campaign_enrollment where campaign_key = ? and exited_at is null",
                Integer.class,
                campaign);
    }

    private List<String> customers(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "consistency-" + UUID.randomUUID();
            as(SERVICE)
                    .body(Map.of("email", id + "@example.com", "timeZone", "Europe/Paris"))
                    .put("/api/customers/{id}", id)
                    .then()
                    .statusCode(201);
            ids.add(id);
        }
        return ids;
    }

    private String segmentOf(List<String> customers) {
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        String segment = "consistency-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Consistency test customers",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", customers)))
                .post("/api/segments")
                .then()
                .statusCode(201);
        return segment;
    }

    private String activeCampaign(String segment) {
        String id = "consistency-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", segment));
        settings.put("trigger", Map.of("type", "SEGMENT_ENTERED"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        as(ANALYST)
                .body(Map.of("id", id, "name", "Consistency test", "template", TEMPLATE, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST).post("/api/campaigns/{id}/activate", id).then().statusCode(200);
        return id;
    }
}
