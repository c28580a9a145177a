package io.loyalflow.journey;

import static io.loyalflow.journey.JourneyVariables.ADVICE_TEMPLATE_ID;
import static io.loyalflow.journey.JourneyVariables.FIRST_ORDER_CATEGORY;
import static io.loyalflow.journey.JourneyVariables.FIRST_ORDER_ID;
import static io.loyalflow.journey.WelcomeProcess.Element.END_EVENT_COMPLETED;
import static io.loyalflow.journey.WelcomeProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.WelcomeProcess.Element.END_EVENT_NOT_FIRST_ORDER;
import static io.loyalflow.journey.WelcomeProcess.Element.EVENT_ADVICE_DELAY;
import static io.loyalflow.journey.WelcomeProcess.Element.EVENT_SECOND_ORDER_WAIT_OVER;
import static io.loyalflow.journey.WelcomeProcess.Element.TASK_CHOOSE_ADVICE;
import static io.loyalflow.journey.WelcomeProcess.Element.TASK_SEND_ADVICE;
import static io.loyalflow.journey.WelcomeProcess.Element.TASK_SEND_INCENTIVE;
import static io.loyalflow.journey.WelcomeProcess.Element.TASK_SEND_THANK_YOU;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static io.loyalflow.messaging.MessagingVariables.TEMPLATE_ID;
import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import io.loyalflow.testsupport.ProcessModels;
import io.loyalflow.testsupport.TestCampaign;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every path of {@code bpmn/welcome.bpmn} on the engine alone (the welcome-advice table is the real one, the
 * send step a mock): thank-you, advice by the first order's category after the advice delay, the incentive
 * when no second order comes, a second order converting at any step, and a late older order ending the
 * journey as not a first order. {@link WelcomeJourneyTest} runs the same template through the whole service.
 */
@Deployment(resources = {"bpmn/welcome.bpmn", "dmn/welcome-advice.dmn"})
class WelcomeProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private final List<String> sent = new ArrayList<>();
    private TestCampaign campaign;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        campaign = new TestCampaign();
        Mocks.register("campaign", campaign);
        JavaDelegate sendEmail = execution -> {
            sent.add((String) execution.getVariable(TEMPLATE_ID.name()));
            execution.setVariable(DELIVERY_OUTCOME.name(), "SENT");
        };
        Mocks.register("sendEmail", sendEmail);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance entered(String category) {
        ProcessInstance journey = runtimeService()
                .startProcessInstanceByKey(
                        WelcomeProcess.KEY,
                        "welcome:customer-1",
                        Map.of(
                                CAMPAIGN_KEY.name(),
                                "welcome",
                                FIRST_ORDER_ID.name(),
                                "o-1",
                                FIRST_ORDER_CATEGORY.name(),
                                category));
        assertThat(journey).isWaitingAt(TASK_SEND_THANK_YOU.id());
        return journey;
    }

    private void correlate(ProcessInstance journey, WelcomeProcess.Message message) {
        runtimeService()
                .createMessageCorrelation(message.messageName())
                .processInstanceId(journey.getId())
                .correlate();
    }

    @Test
    void withoutASecondOrderTheCustomerIsThankedAdvisedAndGivenTheIncentive() {
        ProcessInstance journey = entered("shoes");

        execute(job());
        assertThat(journey).hasPassed(TASK_CHOOSE_ADVICE.id()).isWaitingAt(EVENT_ADVICE_DELAY.id());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(3))));
        ProcessModels.fire(job());
        assertThat(journey).isWaitingAt(TASK_SEND_ADVICE.id());
        execute(job());
        assertThat(journey).isWaitingAt(EVENT_SECOND_ORDER_WAIT_OVER.id());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(3 + 30))));
        ProcessModels.fire(job());
        assertThat(journey).isWaitingAt(TASK_SEND_INCENTIVE.id());
        execute(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_COMPLETED.id());
        assertThat(sent)
                .containsExactly(
                        "template-" + TASK_SEND_THANK_YOU.id(),
                        "d-55555555555555555555555555555551",
                        "template-" + TASK_SEND_INCENTIVE.id());
    }

    @Test
    void theCampaignsWaitsApply() {
        campaign.withWait("adviceDelay", "PT12H").withWait("secondOrderWait", "P14D");
        ProcessInstance journey = entered("");

        execute(job());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofHours(12))));
        ProcessModels.fire(job());
        execute(job());
        assertThat(job().getDuedate())
                .isEqualTo(
                        Date.from(ProcessModels.START.plus(Duration.ofHours(12)).plus(Duration.ofDays(14))));
        assertThat(journey).isWaitingAt(EVENT_SECOND_ORDER_WAIT_OVER.id());
    }

    @ParameterizedTest(name = "category ''{0}'': advice {1}")
    @CsvSource(
            value = {
                "shoes,       d-55555555555555555555555555555551",
                "electronics, d-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee1",
                "beauty,      d-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb1",
                "books,       d-0000000000000000000000000000000b",
                "home,        d-44444444444444444444444444444441",
                "sports,      d-55555555555555555555555555555552",
                "garden,      template-Task_SendAdvice",
                "Shoes,       template-Task_SendAdvice",
                "'',          template-Task_SendAdvice"
            })
    void theAdviceTableChoosesTheAdviceByTheFirstOrdersMainCategory(String category, String advice) {
        ProcessInstance journey = entered(category);

        execute(job());
        ProcessModels.fire(job());
        execute(job());

        assertThat(journey).isWaitingAt(EVENT_SECOND_ORDER_WAIT_OVER.id());
        assertThat(sent).last().isEqualTo(advice);
        assertThat(ProcessModels.variable(journey, ADVICE_TEMPLATE_ID.name()))
                .isEqualTo(advice.startsWith("template-") ? "" : advice);
    }

    @Test
    void aSecondOrderBeforeTheThankYouWentOutConvertsAndNothingIsSent() {
        ProcessInstance journey = entered("shoes");

        correlate(journey, WelcomeProcess.Message.ORDER_PLACED);

        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(TASK_SEND_THANK_YOU.id());
        assertThat(sent).isEmpty();
    }

    @Test
    void aSecondOrderDuringTheSecondOrderWaitConvertsWithoutTheIncentive() {
        ProcessInstance journey = entered("books");
        execute(job());
        ProcessModels.fire(job());
        execute(job());
        assertThat(journey).isWaitingAt(EVENT_SECOND_ORDER_WAIT_OVER.id());

        correlate(journey, WelcomeProcess.Message.ORDER_PLACED);

        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_CONVERTED.id())
                .hasNotPassed(TASK_SEND_INCENTIVE.id(), END_EVENT_COMPLETED.id());
        assertThat(sent).hasSize(2);
    }

    @Test
    void anOlderOrderArrivingDuringTheAdviceDelayEndsTheJourneyAsNotAFirstOrder() {
        ProcessInstance journey = entered("shoes");
        execute(job());
        assertThat(journey).isWaitingAt(EVENT_ADVICE_DELAY.id());

        correlate(journey, WelcomeProcess.Message.NOT_FIRST_ORDER);

        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_NOT_FIRST_ORDER.id())
                .hasNotPassed(TASK_SEND_ADVICE.id(), END_EVENT_CONVERTED.id());
        assertThat(sent).containsExactly("template-" + TASK_SEND_THANK_YOU.id());
        assertThat(jobsOf(journey)).isZero();
    }

    private static long jobsOf(ProcessInstance journey) {
        return org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService()
                .createJobQuery()
                .processInstanceId(journey.getId())
                .count();
    }
}
