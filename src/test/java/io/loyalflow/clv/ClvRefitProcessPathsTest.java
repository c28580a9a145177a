package io.loyalflow.clv;

import static io.loyalflow.clv.ClvRefitProcess.Element.END_EVENT_ALREADY_RUNNING;
import static io.loyalflow.clv.ClvRefitProcess.Element.END_EVENT_FITTED;
import static io.loyalflow.clv.ClvRefitProcess.Element.END_EVENT_TOO_LITTLE_HISTORY;
import static io.loyalflow.clv.ClvRefitProcess.Element.START_EVENT_SCHEDULED;
import static io.loyalflow.clv.ClvRefitProcess.Element.TASK_FIT_MODEL;
import static io.loyalflow.clv.ClvVariables.FIT_OUTCOME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import io.loyalflow.testsupport.ProcessModels;
import java.time.Duration;
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
 * The three paths of {@code bpmn/clv-refit.bpmn} on the engine alone: a scheduled fit ends Model fitted, Not
 * fitted (too little history) or Skipped (another fit running). {@link ClvRefitProcessTest} runs the real
 * fit through the whole service.
 */
@Deployment(resources = "bpmn/clv-refit.bpmn")
class ClvRefitProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private String outcome;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("clvRefitSchedule", new ProcessModels.Schedule("R/PT1H"));
        JavaDelegate fit = execution -> execution.setVariable(FIT_OUTCOME.name(), outcome);
        Mocks.register("fitCustomerValueModel", fit);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance scheduledFit(String fitOutcome) {
        outcome = fitOutcome;
        Job schedule = managementService().createJobQuery().timers().singleResult();
        assertThat(schedule.getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofHours(1))));
        ProcessModels.fire(schedule);
        ProcessInstance run = runtimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(ClvRefitProcess.KEY)
                .singleResult();
        assertThat(run).hasPassed(START_EVENT_SCHEDULED.id()).isWaitingAt(TASK_FIT_MODEL.id());
        execute(job());
        return run;
    }

    @Test
    void aFitEndsModelFitted() {
        assertThat(scheduledFit("FITTED")).isEnded().hasPassed(END_EVENT_FITTED.id());
    }

    @Test
    void tooLittleHistoryEndsNotFitted() {
        assertThat(scheduledFit("INSUFFICIENT_DATA"))
                .isEnded()
                .hasPassed(END_EVENT_TOO_LITTLE_HISTORY.id())
                .hasNotPassed(END_EVENT_FITTED.id());
    }

    @Test
    void aFitWhileAnotherRunsEndsSkipped() {
        assertThat(scheduledFit("ALREADY_RUNNING")).isEnded().hasPassed(END_EVENT_ALREADY_RUNNING.id());
    }
}
