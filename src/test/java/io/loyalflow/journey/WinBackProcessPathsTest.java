package io.loyalflow.journey;

import static io.loyalflow.journey.JourneyVariables.CHANNEL;
import static io.loyalflow.journey.JourneyVariables.EMAIL_CONSENT;
import static io.loyalflow.journey.JourneyVariables.HAS_EMAIL;
import static io.loyalflow.journey.JourneyVariables.HAS_PHONE;
import static io.loyalflow.journey.JourneyVariables.PREFERRED_CHANNEL;
import static io.loyalflow.journey.JourneyVariables.SMS_CONSENT;
import static io.loyalflow.journey.WinBackProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.WinBackProcess.Element.END_EVENT_LAPSED;
import static io.loyalflow.journey.WinBackProcess.Element.END_EVENT_UNREACHABLE;
import static io.loyalflow.journey.WinBackProcess.Element.EVENT_ORDER_WAIT_OVER;
import static io.loyalflow.journey.WinBackProcess.Element.EVENT_REMINDER_WAIT_OVER;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_READ_CUSTOMER;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_REMINDER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_REMINDER_SMS;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static io.loyalflow.messaging.MessagingVariables.SMS_TEXT;
import static io.loyalflow.messaging.MessagingVariables.TEMPLATE_ID;
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
 * Every path of {@code bpmn/win-back.bpmn} on the engine alone (the channel-choice table is the real one, the
 * steps are mocks): the offer by the channel the table picks, the order wait, the optional reminder by the
 * same channel, the ways out Lapsed, Unreachable and Converted. {@link WinBackJourneyTest} runs the same
 * template through the whole service.
 */
@Deployment(resources = {"bpmn/win-back.bpmn", "dmn/channel-choice.dmn"})
class WinBackProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private final TestCampaign campaign = new TestCampaign();
    private final List<String> sent = new ArrayList<>();

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("campaign", campaign);
        Mocks.register("sendEmail", (JavaDelegate) execution -> {
            sent.add("e-mail " + execution.getVariable(TEMPLATE_ID.name()));
            execution.setVariable(DELIVERY_OUTCOME.name(), "SENT");
        });
        Mocks.register("sendSms", (JavaDelegate) execution -> {
            sent.add("SMS " + execution.getVariable(SMS_TEXT.name()));
            execution.setVariable(DELIVERY_OUTCOME.name(), "SENT");
        });
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance entered(boolean emailReachable, boolean smsReachable) {
        Mocks.register("customerFacts", (JavaDelegate) execution -> {
            execution.setVariable(HAS_EMAIL.name(), emailReachable);
            execution.setVariable(EMAIL_CONSENT.name(), emailReachable);
            execution.setVariable(HAS_PHONE.name(), smsReachable);
            execution.setVariable(SMS_CONSENT.name(), smsReachable);
            execution.setVariable(PREFERRED_CHANNEL.name(), null);
        });
        ProcessInstance journey = runtimeService().startProcessInstanceByKey(WinBackProcess.KEY, "customer-1");
        assertThat(journey).isWaitingAt(TASK_READ_CUSTOMER.id());
        execute(job());
        return journey;
    }

    @Test
    void withoutAReminderTheOfferByEmailLapsesAfterTheTemplatesOrderWait() {
        ProcessInstance journey = entered(true, true);

        assertThat(journey).isWaitingAt(TASK_SEND_OFFER_EMAIL.id());
        execute(job());
        assertThat(journey).isWaitingAt(EVENT_ORDER_WAIT_OVER.id());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(14))));
        ProcessModels.fire(job());

        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_LAPSED.id())
                .hasNotPassed(TASK_SEND_REMINDER_EMAIL.id(), TASK_SEND_REMINDER_SMS.id());
        assertThat(sent).containsExactly("e-mail template-" + TASK_SEND_OFFER_EMAIL.id());
    }

    @Test
    void theReminderGoesBySmsAfterAnSmsOfferAndTheCampaignsWaits() {
        campaign.withOption("secondReminder").withWait("orderWait", "P10D").withWait("reminderWait", "P3D");
        ProcessInstance journey = entered(false, true);

        assertThat(journey).isWaitingAt(TASK_SEND_OFFER_SMS.id());
        execute(job());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(10))));
        ProcessModels.fire(job());
        assertThat(journey).isWaitingAt(TASK_SEND_REMINDER_SMS.id());
        execute(job());
        assertThat(journey).isWaitingAt(EVENT_REMINDER_WAIT_OVER.id());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(13))));
        ProcessModels.fire(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_LAPSED.id());
        assertThat(sent)
                .containsExactly("SMS SMS of " + TASK_SEND_OFFER_SMS.id(), "SMS SMS of " + TASK_SEND_REMINDER_SMS.id());
    }

    @Test
    void theReminderGoesByEmailAfterAnEmailOffer() {
        campaign.withOption("secondReminder");
        ProcessInstance journey = entered(true, false);

        execute(job());
        ProcessModels.fire(job());
        assertThat(journey).isWaitingAt(TASK_SEND_REMINDER_EMAIL.id());
        execute(job());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(14 + 7))));
        ProcessModels.fire(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_LAPSED.id());
        assertThat(sent)
                .containsExactly(
                        "e-mail template-" + TASK_SEND_OFFER_EMAIL.id(),
                        "e-mail template-" + TASK_SEND_REMINDER_EMAIL.id());
    }

    @Test
    void aCustomerReachableOnNoChannelEndsUnreachableWithNothingSent() {
        ProcessInstance journey = entered(false, false);

        assertThat(journey).isEnded().hasPassed(END_EVENT_UNREACHABLE.id());
        assertThat(ProcessModels.variable(journey, CHANNEL.name())).isEqualTo("NONE");
        assertThat(sent).isEmpty();
    }

    @Test
    void anOrderWhileTheJourneyWaitsEndsItAsConverted() {
        campaign.withOption("secondReminder");
        ProcessInstance journey = entered(true, false);
        execute(job());

        runtimeService()
                .createMessageCorrelation(WinBackProcess.Message.ORDER_PLACED.messageName())
                .processInstanceId(journey.getId())
                .correlate();

        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(END_EVENT_LAPSED.id());
        assertThat(runtimeService()
                        .createProcessInstanceQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
        assertThat(sent).hasSize(1);
    }
}
