package io.loyalflow.messaging;

import io.loyalflow.platform.engine.JourneyStartVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** "Send SMS" journey step ({@code camunda:delegateExpression="${sendSms}"}); see {@link SendTaskBehavior}. */
@Component(SendStep.SEND_SMS_BEAN)
class SendSmsBehavior extends SendTaskBehavior {

    private final Outbox outbox;

    SendSmsBehavior(Outbox outbox, DeferredSends deferredSends) {
        super(deferredSends);
        this.outbox = outbox;
    }

    @Override
    Outbox.StepResult send(DelegateExecution execution, Outbox.StepContext step) {
        return outbox.sendSms(
                step,
                new Outbox.SmsStep(
                        SendTaskSupport.text(execution, JourneyStartVariables.CUSTOMER_ID),
                        SendTaskSupport.required(execution, MessagingVariables.SMS_TEXT),
                        SendTaskSupport.text(execution, MessagingVariables.CATEGORY),
                        SendTaskSupport.whenCapped(execution)));
    }
}
