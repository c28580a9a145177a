package io.loyalflow.journey;

import static io.loyalflow.journey.BestCustomerProcess.Element.END_EVENT_SERIES_DONE;
import static io.loyalflow.journey.BestCustomerProcess.Element.END_EVENT_TEAM_FOLLOWED_UP;
import static io.loyalflow.journey.BestCustomerProcess.Element.EVENT_SERIES_DELAY;
import static io.loyalflow.journey.BestCustomerProcess.Element.EVENT_SMART_SEND_WAIT;
import static io.loyalflow.journey.BestCustomerProcess.Element.TASK_COMPUTE_SMART_SEND_TIME;
import static io.loyalflow.journey.BestCustomerProcess.Element.TASK_SEND_SERIES_EMAIL;
import static io.loyalflow.journey.BestCustomerProcess.Element.TASK_TEAM_FOLLOW_UP;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static io.loyalflow.messaging.MessagingVariables.SMART_SEND_RESULT_VARIABLE;
import static io.loyalflow.messaging.MessagingVariables.TEMPLATE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import io.loyalflow.testsupport.ProcessModels;
import io.loyalflow.testsupport.TestCampaign;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every path of {@code bpmn/best-customer.bpmn} on the engine alone: the campaign's e-mail series, one pass of
 * the sequential multi-instance subprocess per e-mail (its delay after the previous one, the smart-send wait
 * when the e-mail asks for it), then the team's task when the campaign asks for one.
 * {@link BestCustomerJourneyTest} runs the template through the whole service.
 */
@Deployment(resources = "bpmn/best-customer.bpmn")
class BestCustomerProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    /** When the smart-send step says the customer usually buys: two hours after the second e-mail's delay. */
    private static final Instant USUAL_HOUR =
            ProcessModels.START.plus(Duration.ofDays(7)).plus(Duration.ofHours(2));

    ProcessEngine engine;

    private final TestCampaign campaign = new TestCampaign();
    private final List<String> sent = new ArrayList<>();

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("campaign", campaign);
        JavaDelegate sendEmail = execution -> {
            sent.add(execution.getVariable(TEMPLATE_ID.name()) + " at "
                    + ClockUtil.now().toInstant());
            execution.setVariable(DELIVERY_OUTCOME.name(), "SENT");
        };
        Mocks.register("sendEmail", sendEmail);
        JavaDelegate smartSendTime = execution -> execution.setVariable(
                (String) execution.getVariable(SMART_SEND_RESULT_VARIABLE.name()), Date.from(USUAL_HOUR));
        Mocks.register("smartSendTime", smartSendTime);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    @Test
    void eachEmailOfTheSeriesWaitsItsDelayAndTheSmartSentOneTheCustomersUsualHour() {
        campaign.withSeriesEmail("P0D", false).withSeriesEmail("P7D", true);
        ProcessInstance journey = runtimeService().startProcessInstanceByKey(BestCustomerProcess.KEY, "customer-1");

        assertThat(journey).isWaitingAt(EVENT_SERIES_DELAY.id());
        ProcessModels.fire(job());
        assertThat(journey).isWaitingAt(TASK_SEND_SERIES_EMAIL.id());
        execute(job());
        assertThat(journey).isWaitingAt(EVENT_SERIES_DELAY.id());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(7))));
        ProcessModels.fire(job());
        assertThat(journey).hasPassed(TASK_COMPUTE_SMART_SEND_TIME.id()).isWaitingAt(EVENT_SMART_SEND_WAIT.id());
        assertThat(job().getDuedate()).isEqualTo(Date.from(USUAL_HOUR));
        ProcessModels.fire(job());
        execute(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_SERIES_DONE.id()).hasNotPassed(TASK_TEAM_FOLLOW_UP.id());
        assertThat(sent)
                .containsExactly("series-template-1 at " + ProcessModels.START, "series-template-2 at " + USUAL_HOUR);
    }

    @Test
    void theTeamGetsItsTaskAfterTheSeriesWhenTheCampaignAsks() {
        campaign.withSeriesEmail("P1D", false).withTeamTask("vip-team");
        ProcessInstance journey = runtimeService().startProcessInstanceByKey(BestCustomerProcess.KEY, "customer-1");
        assertThat(journey).isWaitingAt(EVENT_SERIES_DELAY.id());
        ProcessModels.fire(job());
        execute(job());

        assertThat(journey).isWaitingAt(TASK_TEAM_FOLLOW_UP.id());
        assertThat(task()).hasCandidateGroup("vip-team").hasName("Follow up personally");
        complete(task());

        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_TEAM_FOLLOWED_UP.id())
                .hasNotPassed(TASK_COMPUTE_SMART_SEND_TIME.id());
        assertThat(sent).hasSize(1);
    }
}
