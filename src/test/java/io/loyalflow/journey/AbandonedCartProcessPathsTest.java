package io.loyalflow.journey;

import static io.loyalflow.experiment.ExperimentVariables.ARM_VARIABLE;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_CHECKED_OUT;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_CLEARED;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_HELD_OUT;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_REMINDED_BY_EMAIL;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_REMINDED_BY_SMS;
import static io.loyalflow.journey.AbandonedCartProcess.Element.END_EVENT_UPDATE_NOTED;
import static io.loyalflow.journey.AbandonedCartProcess.Element.GATEWAY_REMINDER_DUE;
import static io.loyalflow.journey.AbandonedCartProcess.Element.GATEWAY_SMS_DUE;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TASK_LOAD_CART;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TASK_READ_CUSTOMER;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TASK_SEND_REMINDER_A;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TASK_SEND_REMINDER_B;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TASK_SEND_SMS_REMINDER;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TASK_SPLIT_REMINDER;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TIMER_CART_ABANDONED;
import static io.loyalflow.journey.AbandonedCartProcess.Element.TIMER_SMS_DELAY;
import static io.loyalflow.journey.JourneyVariables.CART_OUTCOME;
import static io.loyalflow.journey.JourneyVariables.CART_UPDATED_AT;
import static io.loyalflow.journey.JourneyVariables.CART_VERSION;
import static io.loyalflow.journey.JourneyVariables.HAS_PHONE;
import static io.loyalflow.journey.JourneyVariables.REMINDER_ARM;
import static io.loyalflow.journey.JourneyVariables.SMS_CONSENT;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static io.loyalflow.messaging.MessagingVariables.SMS_TEXT;
import static io.loyalflow.messaging.MessagingVariables.TEMPLATE_ID;
import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_KEY;
import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import io.loyalflow.cart.CartVariables;
import io.loyalflow.testsupport.ProcessModels;
import io.loyalflow.testsupport.TestCampaign;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Every path of {@code bpmn/abandoned-cart.bpmn} on the engine alone (steps mocked, timers driven by the
 * engine's clock): cart updates restart the wait, so the reminder goes out once, the delay after the LAST
 * update; arms A and B send their own e-mail, CONTROL nothing; the SMS only with consent, after its own
 * delay (pushed by updates too); an order, a cleared cart or a completed checkout ends the journey at once,
 * with nothing sent after. {@link AbandonedCartJourneyTest} runs the template through the whole service.
 */
@Deployment(resources = "bpmn/abandoned-cart.bpmn")
class AbandonedCartProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    private static final Instant START = ProcessModels.START;

    ProcessEngine engine;

    private final TestCampaign campaign = new TestCampaign();
    private final List<String> sent = new ArrayList<>();
    private final List<String> cartsLoaded = new ArrayList<>();
    private String arm = "A";
    private boolean smsConsent;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("campaign", campaign);
        JavaDelegate cartContents = execution -> {
            cartsLoaded.add(CartVariables.CART_ID.from(execution).get());
            CartVariables.CART_ITEMS.on(execution).set("[{\"sku\":\"SKU-1\",\"name\":\"Boots\"}]");
            CartVariables.CART_URL.on(execution).set("https://shop.example/cart/cart-1");
            CartVariables.CART_TOTAL.on(execution).set("89.00");
            CartVariables.CART_CURRENCY.on(execution).set("USD");
            CartVariables.CART_ITEM_COUNT.on(execution).set(1);
        };
        Mocks.register("cartContents", cartContents);
        JavaDelegate split =
                execution -> execution.setVariable((String) execution.getVariable(ARM_VARIABLE.name()), arm);
        Mocks.register("abSplit", split);
        JavaDelegate sendEmail = execution -> {
            sent.add((String) execution.getVariable(TEMPLATE_ID.name()));
            execution.setVariable(DELIVERY_OUTCOME.name(), "SENT");
        };
        Mocks.register("sendEmail", sendEmail);
        JavaDelegate sendSms = execution -> {
            sent.add((String) execution.getVariable(SMS_TEXT.name()));
            execution.setVariable(DELIVERY_OUTCOME.name(), "SENT");
        };
        Mocks.register("sendSms", sendSms);
        JavaDelegate customerFacts = execution -> {
            HAS_PHONE.on(execution).set(true);
            SMS_CONSENT.on(execution).set(smsConsent);
        };
        Mocks.register("customerFacts", customerFacts);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance cartAbandoned() {
        Map<String, Object> variables = new HashMap<>();
        CUSTOMER_ID.on(variables).set("customer-1");
        CAMPAIGN_KEY.on(variables).set("carts");
        CartVariables.CART_ID.on(variables).set("cart-1");
        CART_UPDATED_AT.on(variables).set(START.toString());
        CART_VERSION.on(variables).set(1L);
        return runtimeService().startProcessInstanceByKey(AbandonedCartProcess.KEY, "carts:customer-1", variables);
    }

    /** The clock moves to {@code at}, and the cart is updated then (as CartJourneys correlates it). */
    private void updated(ProcessInstance journey, Instant at, long version) {
        ClockUtil.setCurrentTime(Date.from(at));
        runtimeService()
                .createMessageCorrelation(AbandonedCartProcess.Message.CART_UPDATED.messageName())
                .processInstanceId(journey.getId())
                .setVariable(CART_UPDATED_AT.name(), CART_UPDATED_AT.value(at.toString()))
                .setVariable(CART_VERSION.name(), CART_VERSION.value(version))
                .correlate();
    }

    private void closed(ProcessInstance journey, String outcome) {
        runtimeService()
                .createMessageCorrelation(AbandonedCartProcess.Message.CART_CLOSED.messageName())
                .processInstanceId(journey.getId())
                .setVariable(CART_OUTCOME.name(), CART_OUTCOME.value(outcome))
                .correlate();
    }

    private static Date at(Duration afterStart) {
        return Date.from(START.plus(afterStart));
    }

    /** Runs the asynchronous steps the journey waits at, until it waits at a timer or ends. */
    private void runSteps(ProcessInstance journey) {
        while (true) {
            var due = managementService()
                    .createJobQuery()
                    .processInstanceId(journey.getId())
                    .timers()
                    .count();
            var jobs = managementService()
                    .createJobQuery()
                    .processInstanceId(journey.getId())
                    .messages()
                    .list();
            if (jobs.isEmpty() || due > 0) {
                return;
            }
            execute(jobs.get(0));
        }
    }

    @Test
    void updatesRestartTheWaitSoTheReminderGoesOutOnceTheDelayAfterTheLastUpdate() {
        ProcessInstance journey = cartAbandoned();
        assertThat(journey).isWaitingAt(TIMER_CART_ABANDONED.id());
        assertThat(job(journey).getDuedate()).isEqualTo(at(Duration.ofHours(4)));

        updated(journey, START.plus(Duration.ofHours(1)), 2);
        updated(journey, START.plus(Duration.ofHours(3)), 3);
        // each update is one cheap correlation: the timer is not rewritten
        assertThat(journey).isWaitingAt(TIMER_CART_ABANDONED.id()).hasPassed(END_EVENT_UPDATE_NOTED.id());
        assertThat(job(journey).getDuedate()).isEqualTo(at(Duration.ofHours(4)));

        ProcessModels.fire(job(journey));
        // four hours after the first update, but only one after the last: wait again, until 4 h after the last
        assertThat(journey).hasPassed(GATEWAY_REMINDER_DUE.id()).isWaitingAt(TIMER_CART_ABANDONED.id());
        assertThat(job(journey).getDuedate()).isEqualTo(at(Duration.ofHours(7)));
        assertThat(sent).isEmpty();
        assertThat(cartsLoaded).isEmpty();

        ProcessModels.fire(job(journey));
        assertThat(journey).isWaitingAt(TASK_LOAD_CART.id());
        runSteps(journey);
        assertThat(cartsLoaded).containsExactly("cart-1");
        assertThat(ProcessModels.variable(journey, REMINDER_ARM.name())).isEqualTo("A");
        assertThat(sent).containsExactly("template-" + TASK_SEND_REMINDER_A.id());
        assertThat(journey).isWaitingAt(TIMER_SMS_DELAY.id());
        assertThat(job(journey).getDuedate()).isEqualTo(at(Duration.ofHours(7).plusDays(1)));

        ProcessModels.fire(job(journey));
        runSteps(journey);
        assertThat(journey)
                .isEnded()
                .hasPassed(TASK_READ_CUSTOMER.id(), END_EVENT_REMINDED_BY_EMAIL.id())
                .hasNotPassed(TASK_SEND_SMS_REMINDER.id(), TASK_SEND_REMINDER_B.id());
        assertThat(sent).containsExactly("template-" + TASK_SEND_REMINDER_A.id());
    }

    @Test
    void armBSendsItsOwnReminderAndAnUpdateAfterItPushesTheSmsToTheCustomerWhoOptedIn() {
        arm = "B";
        smsConsent = true;
        ProcessInstance journey = cartAbandoned();
        ProcessModels.fire(job(journey));
        runSteps(journey);
        assertThat(sent).containsExactly("template-" + TASK_SEND_REMINDER_B.id());
        assertThat(job(journey).getDuedate()).isEqualTo(at(Duration.ofHours(4).plusDays(1)));

        updated(journey, START.plus(Duration.ofHours(5)), 2);
        ProcessModels.fire(job(journey));
        assertThat(journey).hasPassed(GATEWAY_SMS_DUE.id()).isWaitingAt(TIMER_SMS_DELAY.id());
        assertThat(job(journey).getDuedate()).isEqualTo(at(Duration.ofHours(9).plusDays(1)));

        ProcessModels.fire(job(journey));
        runSteps(journey);
        assertThat(journey).isEnded().hasPassed(TASK_SEND_SMS_REMINDER.id(), END_EVENT_REMINDED_BY_SMS.id());
        // the reminder went out once; the update after it did not send it again
        assertThat(sent)
                .containsExactly("template-" + TASK_SEND_REMINDER_B.id(), "SMS of " + TASK_SEND_SMS_REMINDER.id());
    }

    @Test
    void theControlArmIsHeldOutOfEveryReminderEvenWithSmsConsent() {
        arm = "CONTROL";
        smsConsent = true;
        campaign.withWait("reminderDelay", "PT30M").withWait("smsDelay", "PT12H");
        ProcessInstance journey = cartAbandoned();
        assertThat(job(journey).getDuedate()).isEqualTo(at(Duration.ofMinutes(30)));
        ProcessModels.fire(job(journey));
        runSteps(journey);
        assertThat(job(journey).getDuedate())
                .isEqualTo(at(Duration.ofMinutes(30).plusHours(12)));
        ProcessModels.fire(job(journey));
        runSteps(journey);

        assertThat(journey)
                .isEnded()
                .hasPassed(TASK_SPLIT_REMINDER.id(), END_EVENT_HELD_OUT.id())
                .hasNotPassed(TASK_SEND_REMINDER_A.id(), TASK_SEND_REMINDER_B.id(), TASK_SEND_SMS_REMINDER.id());
        assertThat(sent).isEmpty();
    }

    @Test
    void anOrderWhileWaitingConvertsAndNothingIsSent() {
        ProcessInstance journey = cartAbandoned();
        updated(journey, START.plus(Duration.ofHours(2)), 2);
        runtimeService()
                .createMessageCorrelation(AbandonedCartProcess.Message.ORDER_PLACED.messageName())
                .processInstanceId(journey.getId())
                .correlate();

        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(TASK_LOAD_CART.id());
        assertThat(managementService().createJobQuery().count()).isZero();
        assertThat(sent).isEmpty();
    }

    @Test
    void aCompletedCheckoutWhileTheReminderIsAboutToGoOutConvertsAndNothingIsSent() {
        ProcessInstance journey = cartAbandoned();
        ProcessModels.fire(job(journey));
        execute(job(journey)); // the cart is loaded
        execute(job(journey)); // the arm is chosen; the e-mail waits for its job
        assertThat(journey).isWaitingAt(TASK_SEND_REMINDER_A.id());

        closed(journey, "CONVERTED");
        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_CHECKED_OUT.id())
                .hasNotPassed(END_EVENT_CLEARED.id(), TASK_SEND_REMINDER_A.id());
        assertThat(managementService().createJobQuery().count()).isZero();
        assertThat(sent).isEmpty();
    }

    @Test
    void aClearedCartEndsTheJourneyBeforeTheSmsAndNothingMoreIsSent() {
        smsConsent = true;
        ProcessInstance journey = cartAbandoned();
        ProcessModels.fire(job(journey));
        runSteps(journey);
        assertThat(journey).isWaitingAt(TIMER_SMS_DELAY.id());

        closed(journey, "CLEARED");
        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_CLEARED.id())
                .hasNotPassed(END_EVENT_CHECKED_OUT.id(), TASK_SEND_SMS_REMINDER.id());
        assertThat(managementService().createJobQuery().count()).isZero();
        assertThat(sent).containsExactly("template-" + TASK_SEND_REMINDER_A.id());
    }
}
