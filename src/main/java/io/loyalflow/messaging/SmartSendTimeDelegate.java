package io.loyalflow.messaging;

import io.loyalflow.platform.engine.JourneyStartVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Compute smart send time" step ({@code ${smartSendTime}}): see {@link SmartSendSteps}. */
@Component("smartSendTime")
class SmartSendTimeDelegate implements JavaDelegate {

    private final SmartSendSteps steps;

    SmartSendTimeDelegate(SmartSendSteps steps) {
        this.steps = steps;
    }

    @Override
    public void execute(DelegateExecution execution) {
        SmartSendSteps.SendTime time = steps.plan(new SmartSendSteps.Step(
                execution.getCurrentActivityName(),
                execution.getCurrentActivityId(),
                execution.getProcessInstanceId(),
                JourneyStartVariables.CUSTOMER_ID.from(execution).getOrNull(),
                MessagingVariables.SMART_SEND_RESULT_VARIABLE.from(execution).getOrNull(),
                MessagingVariables.FALLBACK_HOUR.from(execution).getOrNull()));
        MessagingVariables.SMART_SEND_AT.named(time.variable()).on(execution).set(time.sendAt());
    }
}
