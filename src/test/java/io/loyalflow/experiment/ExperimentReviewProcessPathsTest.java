package io.loyalflow.experiment;

import static io.loyalflow.experiment.ExperimentReviewProcess.Element.END_EVENT_NO_NEW_WINNER;
import static io.loyalflow.experiment.ExperimentReviewProcess.Element.END_EVENT_WINNERS_DECLARED;
import static io.loyalflow.experiment.ExperimentReviewProcess.Element.START_EVENT_SCHEDULED;
import static io.loyalflow.experiment.ExperimentReviewProcess.Element.TASK_REVIEW_EXPERIMENTS;
import static io.loyalflow.experiment.ExperimentVariables.WINNERS_DECLARED;
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
 * The two paths of {@code bpmn/experiment-review.bpmn} on the engine alone: a scheduled review ends Winners
 * declared or No new winner. {@link ExperimentApiTest} runs the real review through the whole service.
 */
@Deployment(resources = "bpmn/experiment-review.bpmn")
class ExperimentReviewProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private int declared;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("experimentReviewSchedule", new ProcessModels.Schedule("R/PT1H"));
        JavaDelegate review = execution -> execution.setVariable(WINNERS_DECLARED.name(), declared);
        Mocks.register("reviewExperiments", review);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance scheduledReview(int winners) {
        declared = winners;
        Job schedule = managementService().createJobQuery().timers().singleResult();
        assertThat(schedule.getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofHours(1))));
        ProcessModels.fire(schedule);
        ProcessInstance run = runtimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(ExperimentReviewProcess.KEY)
                .singleResult();
        assertThat(run).hasPassed(START_EVENT_SCHEDULED.id()).isWaitingAt(TASK_REVIEW_EXPERIMENTS.id());
        execute(job());
        return run;
    }

    @Test
    void aReviewThatDeclaresWinnersEndsWinnersDeclared() {
        assertThat(scheduledReview(2)).isEnded().hasPassed(END_EVENT_WINNERS_DECLARED.id());
    }

    @Test
    void aReviewWithoutANewWinnerEndsNoNewWinner() {
        assertThat(scheduledReview(0))
                .isEnded()
                .hasPassed(END_EVENT_NO_NEW_WINNER.id())
                .hasNotPassed(END_EVENT_WINNERS_DECLARED.id());
    }
}
