package io.loyalflow.journey;

import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.END_EVENT_ANSWERED;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.END_EVENT_NOT_ANSWERED;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.END_EVENT_NOT_SENT;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.GATEWAY_ANSWER;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.TASK_SEND_SURVEY;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import io.loyalflow.testsupport.ProcessModels;
import io.loyalflow.testsupport.TestCampaign;
import java.time.Duration;
import java.util.Date;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every path of {@code bpmn/satisfaction-survey.bpmn} on the engine alone: the survey answered, not answered
 * within the wait, or not sent at all. {@link ValueSegmentUpgradeJourneyTest} runs it as a follow-up scenario
 * through the whole service.
 */
@Deployment(resources = "bpmn/satisfaction-survey.bpmn")
class SatisfactionSurveyProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private final TestCampaign campaign = new TestCampaign();
    private String outcome = "SENT";

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("campaign", campaign);
        JavaDelegate sendEmail = execution -> execution.setVariable(DELIVERY_OUTCOME.name(), outcome);
        Mocks.register("sendEmail", sendEmail);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance surveySent() {
        ProcessInstance scenario =
                runtimeService().startProcessInstanceByKey(SatisfactionSurveyProcess.KEY, "customer-1");
        assertThat(scenario).isWaitingAt(TASK_SEND_SURVEY.id());
        execute(job());
        return scenario;
    }

    @Test
    void anAnswerEndsTheScenarioAsAnswered() {
        ProcessInstance scenario = surveySent();

        assertThat(scenario).isWaitingAt(GATEWAY_ANSWER.id());
        runtimeService()
                .createMessageCorrelation(SatisfactionSurveyProcess.Message.SURVEY_ANSWERED.messageName())
                .processInstanceId(scenario.getId())
                .correlate();

        assertThat(scenario).isEnded().hasPassed(END_EVENT_ANSWERED.id());
    }

    @Test
    void withoutAnAnswerTheScenarioEndsAfterTheCampaignsWait() {
        campaign.withWait("surveyWait", "P5D");
        outcome = "UNKNOWN";
        ProcessInstance scenario = surveySent();

        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(5))));
        ProcessModels.fire(job());

        assertThat(scenario).isEnded().hasPassed(END_EVENT_NOT_ANSWERED.id()).hasNotPassed(END_EVENT_ANSWERED.id());
    }

    @Test
    void aSurveyThatCouldNotGoOutWaitsForNoAnswer() {
        outcome = "SUPPRESSED";
        ProcessInstance scenario = surveySent();

        assertThat(scenario).isEnded().hasPassed(END_EVENT_NOT_SENT.id()).hasNotPassed(GATEWAY_ANSWER.id());
    }
}
