package io.loyalflow.experiment;

import static io.loyalflow.journey.JourneyVariables.REMINDER_ARM;
import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.loyalflow.testsupport.DatabaseTest;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The A/B split step in a journey: sticky arms, recorded per experiment, both paths, clear failures. */
class AbSplitStepTest extends DatabaseTest {

    @Autowired
    RepositoryService repositoryService;

    @Autowired
    RuntimeService runtimeService;

    @Autowired
    ManagementService managementService;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ExperimentAssignments assignments;

    @BeforeEach
    void deploy() {
        repositoryService
                .createDeployment()
                .name("ab-split-test")
                .enableDuplicateFiltering(true)
                .addClasspathResource("experiment/ab-split-test.bpmn")
                .addClasspathResource("experiment/ab-split-default-test.bpmn")
                .deploy();
    }

    private String customer() {
        String id = "ab-" + UUID.randomUUID();
        as(SERVICE)
                .body(Map.of("email", id + "@example.com"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201);
        return id;
    }

    private ProcessInstance journey(String experiment, String weights, String customerId) {
        return journey("ab-split-test", experiment, weights, customerId);
    }

    private ProcessInstance journey(String model, String experiment, String weights, String customerId) {
        ProcessInstance journey = runtimeService.startProcessInstanceByKey(
                model, Map.of("experiment", experiment, "weights", weights, CUSTOMER_ID.name(), customerId));
        assertThat(journey).isWaitingAt("Task_SplitReminder");
        return journey;
    }

    private void runStep(ProcessInstance journey) {
        managementService.executeJob(managementService
                .createJobQuery()
                .processInstanceId(journey.getId())
                .singleResult()
                .getId());
    }

    @Test
    void eachArmTakesItsPathAndARenteringCustomerKeepsTheArm() {
        String experiment = "exp-" + UUID.randomUUID();
        boolean sawA = false;
        boolean sawB = false;
        for (int i = 0; i < 12 && !(sawA && sawB); i++) {
            String customerId = customer();
            ProcessInstance first = journey(experiment, "A:50, B:50", customerId);
            runStep(first);
            String arm = (String) processEngine
                    .getHistoryService()
                    .createHistoricVariableInstanceQuery()
                    .processInstanceId(first.getId())
                    .variableName(REMINDER_ARM.name())
                    .singleResult()
                    .getValue();
            assertThat(first).isEnded().hasPassed("EndEvent_Arm" + arm);
            sawA |= arm.equals("A");
            sawB |= arm.equals("B");

            // the weights change before the customer enters again: an open arm stays the customer's
            ProcessInstance again = journey(experiment, "A:10, B:90", customerId);
            runStep(again);
            assertThat(again).isEnded().hasPassed("EndEvent_Arm" + arm);
            assertThat(jdbc.queryForObject(
                            "select process_instance_id from experiment_assignment a join customer c "
                                    + "on c.customer_key = a.customer_key where a.experiment_key = ? and c.customer_id = ?",
                            String.class,
                            experiment,
                            customerId))
                    .isEqualTo(first.getId());
        }
        assertThat(sawA).as("some customer took arm A").isTrue();
        assertThat(sawB).as("some customer took arm B").isTrue();
    }

    @Test
    void aCustomerWhoseArmWasClosedIsAssignedAnOpenOne() {
        String experiment = "exp-" + UUID.randomUUID();
        String customerId = customer();
        ProcessInstance first = journey(experiment, "A:1, B:0", customerId);
        runStep(first);
        assertThat(first).hasPassed("EndEvent_ArmA");
        ProcessInstance again = journey(experiment, "A:0, B:1", customerId);
        runStep(again);
        assertThat(again).hasPassed("EndEvent_ArmB");
        assertThat(assignments.counts(experiment)).isEqualTo(Map.of("B", 1L));
    }

    @Test
    void badWeightsStopTheStepWithAnIncidentNamingTheStepAndNothingIsAssigned() {
        String experiment = "exp-" + UUID.randomUUID();
        ProcessInstance journey = journey(experiment, "A:50, A:50", customer());
        assertThat(runUntilIncident(journey))
                .contains("A/B split 'Split: e-mail or SMS reminder': arms: arm 'A' is " + "named twice");
        assertThat(journey).isWaitingAt("Task_SplitReminder");
        assertThat(assignments.counts(experiment)).isEmpty();
    }

    @Test
    void anArmWithoutABranchOfItsOwnStopsTheStepAndNeverTakesAnotherArmsBranch() {
        String experiment = "exp-" + UUID.randomUUID();
        ProcessInstance unknownArm = journey(experiment, "A:0, C:1", customer());
        assertThat(runUntilIncident(unknownArm))
                .contains("A/B split 'Split: e-mail or SMS reminder': arm 'C' has no "
                        + "branch after the gateway 'Which arm?' (Gateway_Arm), which routes only A, B");
        assertThat(unknownArm).isWaitingAt("Task_SplitReminder");

        // a gateway whose default branch is arm B's would take arm C there: the step refuses to run
        ProcessInstance viaDefault = journey("ab-split-default-test", experiment, "A:0, C:1", customer());
        assertThat(runUntilIncident(viaDefault))
                .contains("has a default branch ('B (and any other arm)' (Flow_ArmB))")
                .contains("arm 'C' has no branch");
        assertThat(viaDefault).isWaitingAt("Task_SplitReminder").hasNotPassed("EndEvent_ArmB");
        assertThat(assignments.counts(experiment)).isEmpty();
    }

    /** Runs the step's job through its retries until it becomes an incident; the incident's message. */
    private String runUntilIncident(ProcessInstance journey) {
        var job = managementService
                .createJobQuery()
                .processInstanceId(journey.getId())
                .singleResult();
        String lastError = null;
        for (int attempt = 0;
                runtimeService
                                .createIncidentQuery()
                                .processInstanceId(journey.getId())
                                .count()
                        == 0;
                attempt++) {
            assertThat(attempt).as("attempts before the incident").isLessThan(10);
            var current = managementService.createJobQuery().jobId(job.getId()).singleResult();
            if (current.getDuedate() != null && current.getDuedate().toInstant().isAfter(clock.instant())) {
                clock.set(current.getDuedate().toInstant().plusSeconds(1));
            }
            try {
                managementService.executeJob(job.getId());
            } catch (RuntimeException e) {
                lastError = e.getMessage();
            }
            assertThat(lastError).as("the step failed").isNotNull();
        }
        return runtimeService
                .createIncidentQuery()
                .processInstanceId(journey.getId())
                .singleResult()
                .getIncidentMessage();
    }
}
