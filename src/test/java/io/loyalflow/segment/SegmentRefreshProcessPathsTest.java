package io.loyalflow.segment;

import static io.loyalflow.segment.SegmentRefreshProcess.Element.END_EVENT_ALREADY_RUNNING;
import static io.loyalflow.segment.SegmentRefreshProcess.Element.END_EVENT_REFRESHED;
import static io.loyalflow.segment.SegmentRefreshProcess.Element.START_EVENT_SCHEDULED;
import static io.loyalflow.segment.SegmentRefreshProcess.Element.TASK_REFRESH_SEGMENTS;
import static io.loyalflow.segment.SegmentVariables.REFRESH_OUTCOME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import io.loyalflow.testsupport.ProcessModels;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
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
 * Both paths of {@code bpmn/segment-refresh.bpmn} on the engine alone: the schedule's timer starts a refresh,
 * which ends Refreshed, or Skipped when another refresh was running. {@link SegmentRefreshProcessTest} runs
 * the real refresh through the whole service.
 */
@Deployment(resources = "bpmn/segment-refresh.bpmn")
class SegmentRefreshProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private String outcome;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("segmentRefreshSchedule", new ProcessModels.Schedule("0 30 2 * * ?"));
        JavaDelegate refresh = execution -> execution.setVariable(REFRESH_OUTCOME.name(), outcome);
        Mocks.register("refreshSegments", refresh);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    /** The run the schedule starts next: at 02:30 the next day, local time (the clock starts at 10:00 UTC). */
    private ProcessInstance scheduledRun() {
        Job schedule = managementService().createJobQuery().timers().singleResult();
        assertThat(schedule.getDuedate())
                .isEqualTo(Date.from(LocalDate.of(2026, 3, 3)
                        .atTime(2, 30)
                        .atZone(ZoneId.systemDefault())
                        .toInstant()));
        ProcessModels.fire(schedule);
        ProcessInstance run = runtimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(SegmentRefreshProcess.KEY)
                .singleResult();
        assertThat(run).hasPassed(START_EVENT_SCHEDULED.id()).isWaitingAt(TASK_REFRESH_SEGMENTS.id());
        return run;
    }

    @Test
    void aScheduledRunEndsRefreshed() {
        outcome = "REFRESHED";
        ProcessInstance run = scheduledRun();
        execute(job());

        assertThat(run).isEnded().hasPassed(END_EVENT_REFRESHED.id());
    }

    @Test
    void aRunThatFindsAnotherRefreshUnderWayEndsSkipped() {
        outcome = "ALREADY_RUNNING";
        ProcessInstance run = scheduledRun();
        execute(job());

        assertThat(run).isEnded().hasPassed(END_EVENT_ALREADY_RUNNING.id()).hasNotPassed(END_EVENT_REFRESHED.id());
    }
}
