package io.loyalflow.platform.retention;

import static io.loyalflow.platform.retention.RetentionVariables.CLEANUP_OUTCOME;
import static io.loyalflow.platform.retention.StorageCleanupProcess.Element.END_EVENT_CLEANED_UP;
import static io.loyalflow.platform.retention.StorageCleanupProcess.Element.END_EVENT_WINDOW_CLOSED;
import static io.loyalflow.platform.retention.StorageCleanupProcess.Element.START_EVENT_SCHEDULED;
import static io.loyalflow.platform.retention.StorageCleanupProcess.Element.TASK_DELETE_EXPIRED_ROWS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import io.loyalflow.testsupport.ProcessModels;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.JavaDelegate;
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
 * The paths of {@code bpmn/storage-cleanup.bpmn} on the engine alone: a run whose first job deletes everything,
 * one that takes several jobs (one per slice of batches), and one whose window closes. {@link StorageCleanupTest}
 * runs the real cleanup through the whole service.
 */
@Deployment(resources = "bpmn/storage-cleanup.bpmn")
class StorageCleanupProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private final Deque<String> outcomes = new ArrayDeque<>();
    private int jobs;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("storageCleanupSchedule", new ProcessModels.Schedule("R/PT24H"));
        JavaDelegate delete = execution -> {
            jobs++;
            execution.setVariable(CLEANUP_OUTCOME.name(), outcomes.removeFirst());
        };
        Mocks.register("deleteExpiredRows", delete);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance scheduledRun(String... jobOutcomes) {
        outcomes.addAll(List.of(jobOutcomes));
        Job schedule = managementService().createJobQuery().timers().singleResult();
        assertThat(schedule.getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofHours(24))));
        ProcessModels.fire(schedule);
        ProcessInstance run = runtimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(StorageCleanupProcess.KEY)
                .singleResult();
        assertThat(run).hasPassed(START_EVENT_SCHEDULED.id()).isWaitingAt(TASK_DELETE_EXPIRED_ROWS.id());
        for (int i = 0; i < jobOutcomes.length; i++) {
            execute(job());
        }
        return run;
    }

    @Test
    void aRunThatDeletesEverythingInItsFirstJobEndsCleanedUp() {
        assertThat(scheduledRun("DONE")).isEnded().hasPassed(END_EVENT_CLEANED_UP.id());
        assertThat(jobs).isEqualTo(1);
    }

    @Test
    void moreThanOneJobsBatchesGoOnInTheNextJob() {
        assertThat(scheduledRun("MORE", "MORE", "DONE"))
                .isEnded()
                .hasPassed(END_EVENT_CLEANED_UP.id())
                .hasNotPassed(END_EVENT_WINDOW_CLOSED.id());
        assertThat(jobs).isEqualTo(3);
    }

    @Test
    void aRunWhoseWindowClosedEndsThereAndLeavesTheRestToTheNextRun() {
        assertThat(scheduledRun("MORE", "WINDOW_CLOSED"))
                .isEnded()
                .hasPassed(END_EVENT_WINDOW_CLOSED.id())
                .hasNotPassed(END_EVENT_CLEANED_UP.id());
        assertThat(managementService().createJobQuery().timers().count())
                .as("the next run is scheduled")
                .isEqualTo(1);
    }
}
