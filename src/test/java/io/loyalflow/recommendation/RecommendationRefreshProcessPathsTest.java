package io.loyalflow.recommendation;

import static io.loyalflow.recommendation.RecommendationRefreshProcess.Element.END_EVENT_ALREADY_RUNNING;
import static io.loyalflow.recommendation.RecommendationRefreshProcess.Element.END_EVENT_NO_ORDERS;
import static io.loyalflow.recommendation.RecommendationRefreshProcess.Element.END_EVENT_REFRESHED;
import static io.loyalflow.recommendation.RecommendationRefreshProcess.Element.START_EVENT_SCHEDULED;
import static io.loyalflow.recommendation.RecommendationRefreshProcess.Element.TASK_REFRESH_MODEL;
import static io.loyalflow.recommendation.RecommendationVariables.REFRESH_OUTCOME;
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
 * The paths of {@code bpmn/recommendation-refresh.bpmn} on the engine alone: a scheduled refresh ends Model
 * refreshed, Not refreshed (no orders) or Skipped (another refresh running); a refresh that keeps failing becomes
 * an incident. {@link RecommendationRefreshProcessTest} runs the real refresh through the whole service.
 */
@Deployment(resources = "bpmn/recommendation-refresh.bpmn")
class RecommendationRefreshProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private String outcome;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("recommendationRefreshSchedule", new ProcessModels.Schedule("R/PT1H"));
        JavaDelegate refresh = execution -> {
            if (outcome == null) {
                throw new IllegalStateException("the database went away");
            }
            execution.setVariable(REFRESH_OUTCOME.name(), outcome);
        };
        Mocks.register("refreshRecommendations", refresh);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance scheduledRefresh(String refreshOutcome) {
        outcome = refreshOutcome;
        Job schedule = managementService().createJobQuery().timers().singleResult();
        assertThat(schedule.getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofHours(1))));
        ProcessModels.fire(schedule);
        ProcessInstance run = runtimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(RecommendationRefreshProcess.KEY)
                .singleResult();
        assertThat(run).hasPassed(START_EVENT_SCHEDULED.id()).isWaitingAt(TASK_REFRESH_MODEL.id());
        return run;
    }

    @Test
    void aRefreshEndsModelRefreshed() {
        ProcessInstance run = scheduledRefresh("REFRESHED");
        execute(job());
        assertThat(run).isEnded().hasPassed(END_EVENT_REFRESHED.id());
    }

    @Test
    void withoutOrdersItEndsNotRefreshed() {
        ProcessInstance run = scheduledRefresh("NO_ORDERS");
        execute(job());
        assertThat(run).isEnded().hasPassed(END_EVENT_NO_ORDERS.id()).hasNotPassed(END_EVENT_REFRESHED.id());
    }

    @Test
    void aRefreshWhileAnotherRunsEndsSkipped() {
        ProcessInstance run = scheduledRefresh("ALREADY_RUNNING");
        execute(job());
        assertThat(run).isEnded().hasPassed(END_EVENT_ALREADY_RUNNING.id());
    }

    @Test
    void aRefreshThatKeepsFailingBecomesAnIncidentAtTheRefreshStep() {
        ProcessInstance run = scheduledRefresh(null);
        for (int attempt = 0; attempt < 4; attempt++) {
            Job step = managementService()
                    .createJobQuery()
                    .processInstanceId(run.getId())
                    .singleResult();
            try {
                managementService().executeJob(step.getId());
            } catch (RuntimeException expected) {
                // the job executor records the failure and retries ten minutes later
            }
        }
        Incident incident = runtimeService()
                .createIncidentQuery()
                .processInstanceId(run.getId())
                .singleResult();
        assertThat(incident).isNotNull();
        assertThat(incident.getActivityId()).isEqualTo(TASK_REFRESH_MODEL.id());
        assertThat(incident.getIncidentMessage()).contains("the database went away");
        assertThat(run).isWaitingAt(TASK_REFRESH_MODEL.id());
    }
}
