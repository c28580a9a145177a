package io.loyalflow.journey;

import static io.loyalflow.experiment.ExperimentVariables.ARM_VARIABLE;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.END_EVENT_NO_RESPONSE;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.END_EVENT_REFERRED;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.END_EVENT_UNREACHABLE;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.GATEWAY_RESPONSE;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_FIND_RECOMMENDATIONS;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_READ_CUSTOMER;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SEND_REFERRAL_REMINDER;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SEND_VOUCHER;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SPLIT_INCENTIVE;
import static io.loyalflow.journey.JourneyVariables.EMAIL_CONSENT;
import static io.loyalflow.journey.JourneyVariables.HAS_EMAIL;
import static io.loyalflow.journey.JourneyVariables.INCENTIVE;
import static io.loyalflow.journey.JourneyVariables.REFERRAL_ACTIVITY;
import static io.loyalflow.journey.JourneyVariables.SUCCESSFUL_REFERRALS;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static io.loyalflow.messaging.MessagingVariables.TEMPLATE_ID;
import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_KEY;
import static io.loyalflow.recommendation.RecommendationVariables.RECOMMENDATIONS;
import static io.loyalflow.recommendation.RecommendationVariables.RESULT_VARIABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

/**
 * Every path of {@code bpmn/advocate-referral.bpmn} on the engine alone (the referral-path table is the real
 * one, the steps are mocks): unreachable customers; Active advocates reminded; customers without referral data
 * sent the voucher; Dormant ones split between both incentives; then a referral, no response, or an order at
 * any time. {@link AdvocateReferralJourneyTest} runs the same template through the whole service.
 */
@Deployment(resources = {"bpmn/advocate-referral.bpmn", "dmn/referral-path.dmn"})
class AdvocateReferralProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private final List<String> sent = new ArrayList<>();
    private String arm;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("campaign", new TestCampaign());
        JavaDelegate sendEmail = execution -> {
            sent.add((String) execution.getVariable(TEMPLATE_ID.name()));
            execution.setVariable(DELIVERY_OUTCOME.name(), "SENT");
        };
        Mocks.register("sendEmail", sendEmail);
        JavaDelegate recommend = execution ->
                execution.setVariable((String) execution.getVariable(RESULT_VARIABLE.name()), "[{\"sku\":\"SKU-1\"}]");
        Mocks.register("recommendProducts", recommend);
        JavaDelegate split =
                execution -> execution.setVariable((String) execution.getVariable(ARM_VARIABLE.name()), arm);
        Mocks.register("abSplit", split);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance entered(boolean reachable, String referralActivity, int successfulReferrals) {
        JavaDelegate facts = execution -> {
            execution.setVariable(HAS_EMAIL.name(), reachable);
            execution.setVariable(EMAIL_CONSENT.name(), reachable);
            execution.setVariable(REFERRAL_ACTIVITY.name(), referralActivity);
            execution.setVariable(SUCCESSFUL_REFERRALS.name(), successfulReferrals);
        };
        Mocks.register("customerFacts", facts);
        ProcessInstance journey = runtimeService()
                .startProcessInstanceByKey(
                        AdvocateReferralProcess.KEY, "customer-1", Map.of(CAMPAIGN_KEY.name(), "advocates"));
        assertThat(journey).isWaitingAt(TASK_READ_CUSTOMER.id());
        execute(job());
        return journey;
    }

    private void referralMade(ProcessInstance journey) {
        runtimeService()
                .createMessageCorrelation(AdvocateReferralProcess.Message.REFERRAL_MADE.messageName())
                .processInstanceId(journey.getId())
                .correlate();
    }

    @Test
    void aCustomerWithoutEmailConsentEndsUnreachable() {
        ProcessInstance journey = entered(false, "Active", 2);

        assertThat(journey).isEnded().hasPassed(END_EVENT_UNREACHABLE.id());
        assertThat(sent).isEmpty();
    }

    @Test
    void anActiveAdvocateGetsTheReferralReminderAndEndsReferredByAReferral() {
        ProcessInstance journey = entered(true, "Active", 2);

        assertThat(journey).isWaitingAt(TASK_SEND_REFERRAL_REMINDER.id());
        execute(job());
        assertThat(journey).isWaitingAt(GATEWAY_RESPONSE.id());
        referralMade(journey);

        assertThat(journey).isEnded().hasPassed(END_EVENT_REFERRED.id()).hasNotPassed(TASK_SPLIT_INCENTIVE.id());
        assertThat(sent).containsExactly("template-" + TASK_SEND_REFERRAL_REMINDER.id());
    }

    @Test
    void aCustomerWithoutReferralDataGetsTheVoucherAndEndsWithoutResponseAfterTheWait() {
        ProcessInstance journey = entered(true, null, 0);

        assertThat(journey).isWaitingAt(TASK_FIND_RECOMMENDATIONS.id());
        execute(job());
        assertThat(journey).isWaitingAt(TASK_SEND_VOUCHER.id());
        execute(job());
        assertThat(journey).isWaitingAt(GATEWAY_RESPONSE.id());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(30))));
        ProcessModels.fire(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_NO_RESPONSE.id());
        assertThat(ProcessModels.variable(journey, RECOMMENDATIONS.name())).isEqualTo("[{\"sku\":\"SKU-1\"}]");
        assertThat(sent).containsExactly("template-" + TASK_SEND_VOUCHER.id());
    }

    @Test
    void aDormantCustomerOnTheVoucherArmGetsTheVoucherAndAnOrderConverts() {
        arm = "VOUCHER";
        ProcessInstance journey = entered(true, "Dormant", 0);

        assertThat(journey).isWaitingAt(TASK_SPLIT_INCENTIVE.id());
        execute(job());
        assertThat(journey).isWaitingAt(TASK_FIND_RECOMMENDATIONS.id());
        execute(job());
        execute(job());
        runtimeService()
                .createMessageCorrelation(AdvocateReferralProcess.Message.ORDER_PLACED.messageName())
                .processInstanceId(journey.getId())
                .correlate();

        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(END_EVENT_NO_RESPONSE.id());
        assertThat(ProcessModels.variable(journey, INCENTIVE.name())).isEqualTo("VOUCHER");
        assertThat(sent).containsExactly("template-" + TASK_SEND_VOUCHER.id());
    }

    @Test
    void aDormantCustomerOnTheReminderArmGetsTheReferralReminder() {
        arm = "REFERRAL_REMINDER";
        ProcessInstance journey = entered(true, "Dormant", 1);

        execute(job());
        assertThat(journey).isWaitingAt(TASK_SEND_REFERRAL_REMINDER.id());
        execute(job());
        referralMade(journey);

        assertThat(journey)
                .isEnded()
                .hasPassed(TASK_SPLIT_INCENTIVE.id(), END_EVENT_REFERRED.id())
                .hasNotPassed(TASK_FIND_RECOMMENDATIONS.id());
    }

    @Test
    void aDormantCustomerOnTheControlArmGetsNoMessageAndWaitsForAResponseLikeTheOthers() {
        arm = "CONTROL";
        ProcessInstance journey = entered(true, "Dormant", 0);

        execute(job());
        assertThat(journey).isWaitingAt(GATEWAY_RESPONSE.id());
        referralMade(journey);

        assertThat(journey)
                .isEnded()
                .hasPassed(TASK_SPLIT_INCENTIVE.id(), END_EVENT_REFERRED.id())
                .hasNotPassed(TASK_FIND_RECOMMENDATIONS.id(), TASK_SEND_REFERRAL_REMINDER.id());
        assertThat(sent).isEmpty();
    }

    @Test
    void anArmWithoutABranchStopsAtTheSplitInsteadOfTakingAnotherArmsPath() {
        arm = "FREE_SHIPPING";
        ProcessInstance journey = entered(true, "Dormant", 0);

        assertThatThrownBy(() -> execute(job()))
                .hasMessageContaining(AdvocateReferralProcess.Element.GATEWAY_INCENTIVE.id());
        assertThat(journey).isWaitingAt(TASK_SPLIT_INCENTIVE.id());
        assertThat(sent).isEmpty();
    }
}
