package io.loyalflow.audience;

import static io.loyalflow.audience.AudienceDispatchProcess.Element.END_EVENT_DISPATCHED;
import static io.loyalflow.audience.AudienceDispatchProcess.Element.START_EVENT_SCHEDULED;
import static io.loyalflow.audience.AudienceDispatchProcess.Element.TASK_START_ROUNDS;
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

/** The one path of {@code bpmn/audience-dispatch.bpmn}: on its schedule it starts the due rounds and ends. */
@Deployment(resources = "bpmn/audience-dispatch.bpmn")
class AudienceDispatchProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private int dispatches;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("audienceSyncSchedule", new ProcessModels.Schedule("R/PT1M"));
        Mocks.register("startAudienceRounds", (JavaDelegate) execution -> {
            dispatches++;
            execution.setVariable(AudienceVariables.ROUNDS_STARTED.name(), 2);
        });
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    @Test
    void everyMinuteTheDueRoundsAreStarted() {
        Job schedule = managementService().createJobQuery().timers().singleResult();
        assertThat(schedule.getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofMinutes(1))));
        ProcessModels.fire(schedule);
        ProcessInstance run = runtimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(AudienceDispatchProcess.KEY)
                .singleResult();
        assertThat(run).hasPassed(START_EVENT_SCHEDULED.id()).isWaitingAt(TASK_START_ROUNDS.id());
        execute(job());
        assertThat(run).isEnded().hasPassed(END_EVENT_DISPATCHED.id());
        assertThat(dispatches).isEqualTo(1);
    }
}
