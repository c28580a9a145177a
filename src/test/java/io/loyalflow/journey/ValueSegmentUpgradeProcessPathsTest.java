package io.loyalflow.journey;

import static io.loyalflow.experiment.ExperimentVariables.ARM_VARIABLE;
import static io.loyalflow.journey.JourneyVariables.REMINDER_ARM;
import static io.loyalflow.journey.JourneyVariables.SCENARIO;
import static io.loyalflow.journey.JourneyVariables.TIER_CHANGE;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_FOLLOWED_UP;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_HELD_OUT;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_NOT_UPGRADED;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_REMINDED_BY_EMAIL;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_REMINDED_BY_SMS;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_WARNED;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.EVENT_OPEN_WAIT_OVER;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.GATEWAY_OPENED;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_CONGRATULATION;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_DOWNGRADE_WARNING;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_EMAIL;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_SMS;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SPLIT_REMINDER;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_START_FOLLOW_UP;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static io.loyalflow.messaging.MessagingVariables.SMS_TEXT;
import static io.loyalflow.messaging.MessagingVariables.TEMPLATE_ID;
import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_KEY;
import static io.loyalflow.segment.SegmentVariables.NEW_TIER;
import static io.loyalflow.segment.SegmentVariables.PREVIOUS_TIER;
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
import java.util.HashMap;
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
 * Every path of {@code bpmn/value-segment-upgrade.bpmn} on the engine alone (the tier-change table is the real
 * one, the steps are mocks): upgrades congratulated, then followed up when the e-mail is opened or reminded on
 * the A/B arm's channel when it is not (or could not go out); downgrades warned with the campaign option; new
 * and unchanged tiers let go. {@link ValueSegmentUpgradeJourneyTest} runs the template through the whole service.
 */
@Deployment(resources = {"bpmn/value-segment-upgrade.bpmn", "dmn/tier-change.dmn"})
class ValueSegmentUpgradeProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private final TestCampaign campaign = new TestCampaign().withFollowUp(SatisfactionSurveyProcess.KEY);
    private final List<String> sent = new ArrayList<>();
    private final List<String> scenarios = new ArrayList<>();
    private String congratulationOutcome = "SENT";
    private String arm;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("campaign", campaign);
        JavaDelegate sendEmail = execution -> {
            String template = (String) execution.getVariable(TEMPLATE_ID.name());
            sent.add(template);
            execution.setVariable(
                    DELIVERY_OUTCOME.name(),
                    template.endsWith(TASK_SEND_CONGRATULATION.id()) ? congratulationOutcome : "SENT");
        };
        Mocks.register("sendEmail", sendEmail);
        JavaDelegate sendSms = execution -> {
            sent.add((String) execution.getVariable(SMS_TEXT.name()));
            execution.setVariable(DELIVERY_OUTCOME.name(), "SENT");
        };
        Mocks.register("sendSms", sendSms);
        JavaDelegate split =
                execution -> execution.setVariable((String) execution.getVariable(ARM_VARIABLE.name()), arm);
        Mocks.register("abSplit", split);
        JavaDelegate startScenario = execution -> scenarios.add((String) execution.getVariable(SCENARIO.name()));
        Mocks.register("startScenario", startScenario);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance tierChanged(String previousTier, String newTier) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(PREVIOUS_TIER.name(), previousTier);
        variables.put(NEW_TIER.name(), newTier);
        variables.put(CAMPAIGN_KEY.name(), "upgrades");
        return runtimeService().startProcessInstanceByKey(ValueSegmentUpgradeProcess.KEY, "customer-1", variables);
    }

    @Test
    void anUpgradeIsCongratulatedAndAnOpenStartsTheFollowUpScenario() {
        ProcessInstance journey = tierChanged("Silver", "Gold");

        assertThat(journey).isWaitingAt(TASK_SEND_CONGRATULATION.id());
        execute(job());
        assertThat(journey).isWaitingAt(GATEWAY_OPENED.id());
        runtimeService()
                .createMessageCorrelation(ValueSegmentUpgradeProcess.Message.EMAIL_OPENED.messageName())
                .processInstanceId(journey.getId())
                .correlate();
        assertThat(journey).isWaitingAt(TASK_START_FOLLOW_UP.id());
        execute(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_FOLLOWED_UP.id()).hasNotPassed(TASK_SPLIT_REMINDER.id());
        assertThat(scenarios).containsExactly(SatisfactionSurveyProcess.KEY);
    }

    @Test
    void anUnopenedCongratulationIsRemindedByEmailOnArmAAfterTheOpenWait() {
        arm = "A";
        ProcessInstance journey = tierChanged("Bronze", "Silver");
        assertThat(journey).isWaitingAt(TASK_SEND_CONGRATULATION.id());
        execute(job());

        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(3))));
        ProcessModels.fire(job());
        assertThat(journey).hasPassed(EVENT_OPEN_WAIT_OVER.id()).isWaitingAt(TASK_SPLIT_REMINDER.id());
        execute(job());
        assertThat(journey).isWaitingAt(TASK_SEND_REMINDER_EMAIL.id());
        execute(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_REMINDED_BY_EMAIL.id());
        assertThat(sent)
                .containsExactly(
                        "template-" + TASK_SEND_CONGRATULATION.id(), "template-" + TASK_SEND_REMINDER_EMAIL.id());
    }

    @Test
    void aCongratulationThatCouldNotGoOutIsRemindedAtOnceBySmsOnArmB() {
        arm = "B";
        congratulationOutcome = "SUPPRESSED";
        ProcessInstance journey = tierChanged("Gold", "Platinum");
        assertThat(journey).isWaitingAt(TASK_SEND_CONGRATULATION.id());
        execute(job());

        assertThat(journey).isWaitingAt(TASK_SPLIT_REMINDER.id()).hasNotPassed(GATEWAY_OPENED.id());
        execute(job());
        assertThat(journey).isWaitingAt(TASK_SEND_REMINDER_SMS.id());
        execute(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_REMINDED_BY_SMS.id());
        assertThat(ProcessModels.variable(journey, REMINDER_ARM.name())).isEqualTo("B");
    }

    @Test
    void theControlArmIsHeldOutAndSentNoReminder() {
        arm = "CONTROL";
        ProcessInstance journey = tierChanged("Bronze", "Silver");
        assertThat(journey).isWaitingAt(TASK_SEND_CONGRATULATION.id());
        execute(job());
        ProcessModels.fire(job());
        assertThat(journey).isWaitingAt(TASK_SPLIT_REMINDER.id());
        execute(job());

        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_HELD_OUT.id())
                .hasNotPassed(TASK_SEND_REMINDER_EMAIL.id(), TASK_SEND_REMINDER_SMS.id());
        assertThat(sent).containsExactly("template-" + TASK_SEND_CONGRATULATION.id());
    }

    @Test
    void aDowngradeIsWarnedWhenTheCampaignAsks() {
        campaign.withOption("downgradeWarning");
        ProcessInstance journey = tierChanged("Gold", "Silver");

        assertThat(journey).isWaitingAt(TASK_SEND_DOWNGRADE_WARNING.id());
        execute(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_WARNED.id()).hasNotPassed(TASK_SEND_CONGRATULATION.id());
        assertThat(sent).containsExactly("template-" + TASK_SEND_DOWNGRADE_WARNING.id());
    }

    @Test
    void aDowngradeEndsWithoutAMessageWhenTheCampaignDoesNotAsk() {
        ProcessInstance journey = tierChanged("Gold", "Silver");

        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_NOT_UPGRADED.id())
                .hasNotPassed(TASK_SEND_DOWNGRADE_WARNING.id());
        assertThat(ProcessModels.variable(journey, TIER_CHANGE.name())).isEqualTo("DOWNGRADE");
        assertThat(sent).isEmpty();
    }

    @Test
    void aFirstTierIsNotAnUpgrade() {
        ProcessInstance journey = tierChanged(null, "Gold");

        assertThat(journey).isEnded().hasPassed(END_EVENT_NOT_UPGRADED.id());
        assertThat(ProcessModels.variable(journey, TIER_CHANGE.name())).isEqualTo("NEW");
        assertThat(sent).isEmpty();
    }
}
