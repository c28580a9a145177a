package io.loyalflow.journey;

import static io.loyalflow.experiment.ExperimentVariables.ARM_VARIABLE;
import static io.loyalflow.journey.CrossSellProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.CrossSellProcess.Element.END_EVENT_HELD_OUT;
import static io.loyalflow.journey.CrossSellProcess.Element.END_EVENT_NO_ORDER;
import static io.loyalflow.journey.CrossSellProcess.Element.END_EVENT_UNREACHABLE;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_READ_CUSTOMER;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_RECOMMEND_PRODUCT;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_RECOMMEND_PRODUCTS;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_SEND_OFFER_A;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_SEND_OFFER_B;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.journey.CrossSellProcess.Element.TASK_TIME_OFFER;
import static io.loyalflow.journey.CrossSellProcess.Element.TIMER_HOLDOUT_WAIT;
import static io.loyalflow.journey.CrossSellProcess.Element.TIMER_OFFER_DUE;
import static io.loyalflow.journey.CrossSellProcess.Element.TIMER_OFFER_WAIT;
import static io.loyalflow.journey.JourneyVariables.EMAIL_CONSENT;
import static io.loyalflow.journey.JourneyVariables.HAS_EMAIL;
import static io.loyalflow.journey.JourneyVariables.HAS_PHONE;
import static io.loyalflow.journey.JourneyVariables.OFFER_ARM;
import static io.loyalflow.journey.JourneyVariables.ORDER_ID;
import static io.loyalflow.journey.JourneyVariables.PREFERRED_CHANNEL;
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
 * Every path of {@code bpmn/cross-sell.bpmn} on the engine alone (the channel-choice table is the real one, the
 * steps mocks, timers driven by the engine's clock): the offer waits the time the timing step gives from purchase
 * data within the campaign's bounds (the default without data); by e-mail with recommended products, arms A and B
 * with their own e-mail and CONTROL held out; by SMS with one product; nobody reachable ends at once; after the
 * offer wait the journey ends without an order; an order at any step converts, with nothing sent after.
 * {@link CrossSellJourneyTest} runs the template through the whole service.
 */
@Deployment(resources = {"bpmn/cross-sell.bpmn", "dmn/channel-choice.dmn"})
class CrossSellProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    private static final Instant START = ProcessModels.START;
    private static final String CROSS_SELL_WAIT = "crossSellWait";
    private static final String CROSS_SELL_WAIT_SOURCE = "crossSellWaitSource";

    ProcessEngine engine;

    private final TestCampaign campaign = new TestCampaign();
    private final List<String> sent = new ArrayList<>();
    private final List<String> recommended = new ArrayList<>();
    private final List<Map<String, Object>> timed = new ArrayList<>();
    /** What purchase data says about the order: the median time to the next related purchase, or none. */
    private Duration median;

    private String arm = "A";
    private boolean emailReachable = true;
    private boolean smsReachable;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("campaign", campaign);
        // as the contract of the recommendation module's step: the median clamped to [minWait, maxWait], else
        // defaultWait
        JavaDelegate crossSellTiming = execution -> {
            Map<String, Object> inputs = new HashMap<>();
            for (String name : List.of("orderId", "minWait", "maxWait", "defaultWait")) {
                inputs.put(name, execution.getVariableLocal(name));
            }
            timed.add(inputs);
            Duration min = Duration.parse((String) inputs.get("minWait"));
            Duration max = Duration.parse((String) inputs.get("maxWait"));
            Duration wait = median == null
                    ? Duration.parse((String) inputs.get("defaultWait"))
                    : (median.compareTo(min) < 0 ? min : median.compareTo(max) > 0 ? max : median);
            execution.setVariable(CROSS_SELL_WAIT, wait.toString());
            execution.setVariable(CROSS_SELL_WAIT_SOURCE, median == null ? "DEFAULT" : "PURCHASE_DATA");
        };
        Mocks.register("crossSellTiming", crossSellTiming);
        Mocks.register("customerFacts", (JavaDelegate) execution -> {
            execution.setVariable(HAS_EMAIL.name(), emailReachable);
            execution.setVariable(EMAIL_CONSENT.name(), emailReachable);
            execution.setVariable(HAS_PHONE.name(), smsReachable);
            execution.setVariable(SMS_CONSENT.name(), smsReachable);
            execution.setVariable(PREFERRED_CHANNEL.name(), null);
        });
        Mocks.register("recommendProducts", (JavaDelegate) execution -> {
            String variable = (String) execution.getVariableLocal("resultVariable");
            recommended.add(variable + " for " + execution.getVariableLocal("orderId") + " count "
                    + execution.getVariableLocal("count"));
            execution.setVariable(variable, "[{\"sku\":\"SKU-2\",\"category\":\"socks\"}]");
        });
        Mocks.register("abSplit", (JavaDelegate)
                execution -> execution.setVariable((String) execution.getVariable(ARM_VARIABLE.name()), arm));
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

    private ProcessInstance ordered() {
        Map<String, Object> variables = new HashMap<>();
        CUSTOMER_ID.on(variables).set("customer-1");
        CAMPAIGN_KEY.on(variables).set("cross");
        ORDER_ID.on(variables).set("o-1");
        JourneyVariables.ENTRY_ORDER_PLACED_AT.on(variables).set(START.toString());
        ProcessInstance journey =
                runtimeService().startProcessInstanceByKey(CrossSellProcess.KEY, "cross:customer-1", variables);
        assertThat(journey).isWaitingAt(TASK_TIME_OFFER.id());
        return journey;
    }

    /** Runs the asynchronous steps the journey waits at, until it waits at a timer or ends. */
    private static void runSteps(ProcessInstance journey) {
        while (true) {
            var timers = managementService()
                    .createJobQuery()
                    .processInstanceId(journey.getId())
                    .timers()
                    .count();
            var jobs = managementService()
                    .createJobQuery()
                    .processInstanceId(journey.getId())
                    .messages()
                    .list();
            if (jobs.isEmpty() || timers > 0) {
                return;
            }
            execute(jobs.get(0));
        }
    }

    private static Date at(Duration afterStart) {
        return Date.from(START.plus(afterStart));
    }

    private static void orderPlaced(ProcessInstance journey) {
        runtimeService()
                .createMessageCorrelation(CrossSellProcess.Message.ORDER_PLACED.messageName())
                .processInstanceId(journey.getId())
                .setVariable(ORDER_ID.name(), ORDER_ID.value("o-2"))
                .correlate();
    }

    @Test
    void theOfferGoesOutByEmailWithProductsForTheOrderWhenPurchaseDataSaysAndTheJourneyEndsWithoutAnOrder() {
        median = Duration.ofDays(9);
        ProcessInstance journey = ordered();

        runSteps(journey);
        assertThat(journey).isWaitingAt(TIMER_OFFER_DUE.id());
        assertThat(job().getDuedate()).isEqualTo(at(Duration.ofDays(9)));
        assertThat(timed)
                .containsExactly(Map.of("orderId", "o-1", "minWait", "P3D", "maxWait", "P60D", "defaultWait", "P14D"));
        assertThat(ProcessModels.variable(journey, CROSS_SELL_WAIT_SOURCE)).isEqualTo("PURCHASE_DATA");
        assertThat(sent).isEmpty();

        ProcessModels.fire(job());
        assertThat(journey).isWaitingAt(TASK_READ_CUSTOMER.id());
        runSteps(journey);
        assertThat(recommended).containsExactly("recommendations for o-1 count null");
        assertThat(sent).containsExactly("e-mail template-" + TASK_SEND_OFFER_A.id());
        assertThat(ProcessModels.variable(journey, OFFER_ARM.name())).isEqualTo("A");
        assertThat(journey).isWaitingAt(TIMER_OFFER_WAIT.id());
        assertThat(job().getDuedate()).isEqualTo(at(Duration.ofDays(9 + 14)));

        ProcessModels.fire(job());
        assertThat(journey).isEnded().hasPassed(END_EVENT_NO_ORDER.id());
    }

    @ParameterizedTest(name = "median {0}, campaign bounds {1}..{2}: wait {3}")
    @CsvSource({
        // within the bounds: the median itself
        "P9D,  P3D,  P60D, P9D",
        // shorter than the minimum, longer than the maximum: the bound
        "PT2H, P3D,  P60D, P3D",
        "P90D, P3D,  P60D, P60D",
        // the campaign's own bounds
        "P9D,  P10D, P20D, P10D",
        "P30D, P10D, P20D, P20D"
    })
    void theWaitFromPurchaseDataIsBoundedByTheCampaignsMinimumAndMaximum(
            String medianWait, String min, String max, String expected) {
        median = Duration.parse(medianWait);
        campaign.withWait("minWait", min).withWait("maxWait", max);
        ProcessInstance journey = ordered();

        runSteps(journey);

        assertThat(job().getDuedate()).isEqualTo(at(Duration.parse(expected)));
        assertThat(journey).isWaitingAt(TIMER_OFFER_DUE.id());
    }

    @Test
    void withoutPurchaseDataTheCampaignsDefaultWaitApplies() {
        campaign.withWait("defaultWait", "P5D").withWait("offerWait", "P2D");
        ProcessInstance journey = ordered();

        runSteps(journey);
        assertThat(job().getDuedate()).isEqualTo(at(Duration.ofDays(5)));
        assertThat(ProcessModels.variable(journey, CROSS_SELL_WAIT_SOURCE)).isEqualTo("DEFAULT");
        ProcessModels.fire(job());
        runSteps(journey);
        assertThat(job().getDuedate()).isEqualTo(at(Duration.ofDays(5 + 2)));
    }

    @Test
    void armBSendsItsOwnEmail() {
        arm = "B";
        ProcessInstance journey = ordered();
        runSteps(journey);
        ProcessModels.fire(job());
        runSteps(journey);

        assertThat(sent).containsExactly("e-mail template-" + TASK_SEND_OFFER_B.id());
        assertThat(journey).isWaitingAt(TIMER_OFFER_WAIT.id());
    }

    @Test
    void theControlArmIsHeldOutWithoutAnOfferForAsLongAsTheOthersWait() {
        arm = "CONTROL";
        ProcessInstance journey = ordered();
        runSteps(journey);
        ProcessModels.fire(job());
        runSteps(journey);

        assertThat(journey).isWaitingAt(TIMER_HOLDOUT_WAIT.id());
        assertThat(job().getDuedate()).isEqualTo(at(Duration.ofDays(14 + 14)));
        ProcessModels.fire(job());
        assertThat(journey).isEnded().hasPassed(END_EVENT_HELD_OUT.id());
        assertThat(sent).isEmpty();
    }

    @Test
    void aCustomerReachableOnlyBySmsGetsOneProductBySms() {
        emailReachable = false;
        smsReachable = true;
        ProcessInstance journey = ordered();
        runSteps(journey);
        ProcessModels.fire(job());
        runSteps(journey);

        assertThat(journey).hasPassed(TASK_RECOMMEND_PRODUCT.id()).hasNotPassed(TASK_RECOMMEND_PRODUCTS.id());
        assertThat(recommended).containsExactly("smsProducts for o-1 count 1");
        assertThat(sent).containsExactly("SMS SMS of " + TASK_SEND_OFFER_SMS.id());
        assertThat(journey).isWaitingAt(TIMER_OFFER_WAIT.id());
        ProcessModels.fire(job());
        assertThat(journey).isEnded().hasPassed(END_EVENT_NO_ORDER.id());
    }

    @Test
    void aCustomerReachableByNoChannelEndsWithoutAnOffer() {
        emailReachable = false;
        ProcessInstance journey = ordered();
        runSteps(journey);
        ProcessModels.fire(job());
        runSteps(journey);

        assertThat(journey).isEnded().hasPassed(END_EVENT_UNREACHABLE.id());
        assertThat(sent).isEmpty();
        assertThat(recommended).isEmpty();
    }

    @Test
    void anOrderDuringTheWaitForTheOfferConvertsAndNothingIsSent() {
        ProcessInstance journey = ordered();
        runSteps(journey);
        assertThat(journey).isWaitingAt(TIMER_OFFER_DUE.id());

        orderPlaced(journey);

        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(TASK_READ_CUSTOMER.id());
        assertThat(sent).isEmpty();
        assertThat(managementService()
                        .createJobQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
    }

    @Test
    void anOrderAfterTheOfferConverts() {
        ProcessInstance journey = ordered();
        runSteps(journey);
        ProcessModels.fire(job());
        runSteps(journey);
        assertThat(journey).isWaitingAt(TIMER_OFFER_WAIT.id());

        orderPlaced(journey);

        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(END_EVENT_NO_ORDER.id());
        assertThat(sent).hasSize(1);
    }
}
