package io.loyalflow.audience;

import static io.loyalflow.audience.AudienceSyncProcess.Element.END_EVENT_NOT_ACTIVE;
import static io.loyalflow.audience.AudienceSyncProcess.Element.END_EVENT_REPLACED;
import static io.loyalflow.audience.AudienceSyncProcess.Element.END_EVENT_RESUMED;
import static io.loyalflow.audience.AudienceSyncProcess.Element.END_EVENT_SYNCED;
import static io.loyalflow.audience.AudienceSyncProcess.Element.TASK_HOLD_FLAGGED;
import static io.loyalflow.audience.AudienceSyncProcess.Element.TASK_REPLACE_MEMBERS;
import static io.loyalflow.audience.AudienceSyncProcess.Element.TASK_UPLOAD_CHANGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import io.loyalflow.testsupport.ProcessModels;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The paths of {@code bpmn/audience-sync.bpmn} on the engine alone: batches of changes until none are left, a full
 * replace in batches, an audience that is no longer active, a flagged audience held with an immediate incident until
 * it is resumed, and a batch that keeps failing becoming an incident after the backoff. {@link AudienceSyncTest} runs
 * the real steps against WireMock.
 */
@Deployment(resources = "bpmn/audience-sync.bpmn")
class AudienceSyncProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    /** What each batch answers, in turn: an outcome, FLAGGED (the BPMN error) or FAIL (an exception). */
    private final Deque<String> batches = new ArrayDeque<>();

    private boolean flagged;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        JavaDelegate batch = execution -> {
            String next = batches.pop();
            switch (next) {
                case "FLAGGED" -> throw new BpmnError(AudienceSyncProcess.ERROR_FLAGGED);
                case "FAIL" -> {
                    batches.push(next);
                    throw new IllegalStateException("Meta answered 503");
                }
                default -> execution.setVariable(AudienceVariables.ROUND_OUTCOME.name(), next);
            }
        };
        Mocks.register("uploadAudienceChanges", batch);
        Mocks.register("replaceAudienceMembers", batch);
        Mocks.register("holdFlaggedAudience", (JavaDelegate) execution -> {
            if (flagged) {
                throw new AudienceFlaggedException("Meta flagged ad audience 'lapsed' ...");
            }
        });
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance round(boolean replaceAll, String... outcomes) {
        batches.addAll(java.util.List.of(outcomes));
        return runtimeService()
                .startProcessInstanceByKey(
                        AudienceSyncProcess.KEY,
                        "lapsed",
                        Map.of(
                                AudienceVariables.AUDIENCE_ID.name(),
                                "lapsed",
                                AudienceVariables.REPLACE_ALL.name(),
                                replaceAll));
    }

    private void runJobs(ProcessInstance round) {
        for (Job job = next(round); job != null && job.getRetries() > 0; job = next(round)) {
            try {
                managementService().executeJob(job.getId());
            } catch (RuntimeException expected) {
                // a failed batch: the engine records it and retries later
            }
        }
    }

    private static Job next(ProcessInstance round) {
        return managementService()
                .createJobQuery()
                .processInstanceId(round.getId())
                .singleResult();
    }

    @Test
    void changesAreSentBatchByBatchUntilNoneAreLeft() {
        ProcessInstance round = round(false, "MORE", "MORE", "DONE");
        assertThat(round).isWaitingAt(TASK_UPLOAD_CHANGES.id());
        runJobs(round);
        assertThat(round).isEnded().hasPassed(END_EVENT_SYNCED.id()).hasNotPassed(TASK_REPLACE_MEMBERS.id());
        assertThat(batches).isEmpty();
    }

    @Test
    void aFullReplaceSendsItsBatchesThroughTheReplaceStep() {
        ProcessInstance round = round(true, "MORE", "DONE");
        assertThat(round).isWaitingAt(TASK_REPLACE_MEMBERS.id());
        runJobs(round);
        assertThat(round).isEnded().hasPassed(END_EVENT_REPLACED.id()).hasNotPassed(TASK_UPLOAD_CHANGES.id());
    }

    @Test
    void anAudienceNoLongerActiveEndsTheRoundEitherWay() {
        ProcessInstance changes = round(false, "NOT_ACTIVE");
        runJobs(changes);
        assertThat(changes).isEnded().hasPassed(END_EVENT_NOT_ACTIVE.id());
        ProcessInstance replace = round(true, "NOT_ACTIVE");
        runJobs(replace);
        assertThat(replace).isEnded().hasPassed(END_EVENT_NOT_ACTIVE.id());
    }

    @Test
    void aFlaggedAudienceIsHeldWithAnIncidentAtOnceUntilAnAdministratorResumesIt() {
        flagged = true;
        ProcessInstance round = round(false, "MORE", "FLAGGED");
        runJobs(round);
        Incident incident = runtimeService()
                .createIncidentQuery()
                .processInstanceId(round.getId())
                .singleResult();
        assertThat(incident.getActivityId()).isEqualTo(TASK_HOLD_FLAGGED.id());
        assertThat(incident.getIncidentMessage()).contains("Meta flagged ad audience 'lapsed'");
        assertThat(runtimeService().createIncidentQuery().count()).isEqualTo(1);

        flagged = false; // resumed: the operator retries the job in Cockpit
        managementService().setJobRetries(next(round).getId(), 1);
        runJobs(round);
        assertThat(round).isEnded().hasPassed(END_EVENT_RESUMED.id()).hasNotPassed(END_EVENT_SYNCED.id());
    }

    @Test
    void aReplaceFlaggedMidwayIsHeldToo() {
        flagged = true;
        ProcessInstance round = round(true, "FLAGGED");
        runJobs(round);
        assertThat(round).isWaitingAt(TASK_HOLD_FLAGGED.id());
        flagged = false;
        managementService().setJobRetries(next(round).getId(), 1);
        runJobs(round);
        assertThat(round).isEnded().hasPassed(END_EVENT_RESUMED.id());
    }

    @Test
    void aBatchThatKeepsFailingBecomesAnIncidentAfterTheBackoff() {
        ProcessInstance round = round(false, "FAIL");
        int attempts = 0;
        for (Job job = next(round); job.getRetries() > 0; job = next(round)) {
            try {
                managementService().executeJob(job.getId());
            } catch (RuntimeException expected) {
                attempts++;
            }
        }
        // retried after 30 s, 2, 10 and 30 minutes and an hour: six attempts
        assertThat(attempts).isEqualTo(6);
        Incident incident = runtimeService()
                .createIncidentQuery()
                .processInstanceId(round.getId())
                .singleResult();
        assertThat(incident.getActivityId()).isEqualTo(TASK_UPLOAD_CHANGES.id());
        assertThat(incident.getIncidentMessage()).contains("Meta answered 503");
    }
}
