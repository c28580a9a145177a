package io.loyalflow.journey;

import static io.loyalflow.journey.JourneyConsistencyCheckProcess.Element.END_EVENT_CHECKED;
import static io.loyalflow.journey.JourneyConsistencyCheckProcess.Element.START_EVENT_DAILY;
import static io.loyalflow.journey.JourneyConsistencyCheckProcess.Element.START_EVENT_SERVICE_STARTED;
import static io.loyalflow.journey.JourneyConsistencyCheckProcess.Element.TASK_CHECK_JOURNEYS;
import static io.loyalflow.journey.JourneyVariables.CONSISTENT;
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
 * Both starts of {@code bpmn/journey-consistency-check.bpmn} on the engine alone: the message the service
 * sends at every start, and the daily timer; each runs the check once. {@link JourneyConsistencyTest} runs
 * the real check through the whole service.
 */
@Deployment(resources = "bpmn/journey-consistency-check.bpmn")
class JourneyConsistencyCheckProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private int checks;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("journeyConsistencySchedule", new ProcessModels.Schedule("R/P1D"));
        JavaDelegate check = execution -> {
            checks++;
            execution.setVariable(CONSISTENT.name(), true);
        };
        Mocks.register("checkJourneys", check);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    @Test
    void theServicesStartRunsTheCheck() {
        ProcessInstance run = runtimeService()
                .startProcessInstanceByMessage(JourneyConsistencyCheckProcess.Message.CHECK_JOURNEYS.messageName());

        assertThat(run).hasPassed(START_EVENT_SERVICE_STARTED.id()).isWaitingAt(TASK_CHECK_JOURNEYS.id());
        execute(job());

        assertThat(run).isEnded().hasPassed(END_EVENT_CHECKED.id()).hasNotPassed(START_EVENT_DAILY.id());
        assertThat(checks).isEqualTo(1);
    }

    @Test
    void theDailyTimerRunsTheCheck() {
        Job daily = managementService().createJobQuery().timers().singleResult();
        assertThat(daily.getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(1))));
        ProcessModels.fire(daily);
        ProcessInstance run = runtimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(JourneyConsistencyCheckProcess.KEY)
                .singleResult();

        assertThat(run).hasPassed(START_EVENT_DAILY.id()).isWaitingAt(TASK_CHECK_JOURNEYS.id());
        execute(job());

        assertThat(run).isEnded().hasPassed(END_EVENT_CHECKED.id());
        assertThat(checks).isEqualTo(1);
    }
}
