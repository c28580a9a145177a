package io.loyalflow.messaging;

import io.loyalflow.platform.engine.JourneyStartVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** "Send email" journey step ({@code camunda:delegateExpression="${sendEmail}"}); see {@link SendTaskBehavior}. */
@Component(SendStep.SEND_EMAIL_BEAN)
class SendEmailBehavior extends SendTaskBehavior {

    private final Outbox outbox;

    SendEmailBehavior(Outbox outbox, DeferredSends deferredSends) {
        super(deferredSends);
        this.outbox = outbox;
    }

    @Override
    Outbox.StepResult send(DelegateExecution execution, Outbox.StepContext step) {
        return outbox.sendEmail(
                step,
                new Outbox.EmailStep(
                        SendTaskSupport.text(execution, JourneyStartVariables.CUSTOMER_ID),
                        SendTaskSupport.required(execution, MessagingVariables.TEMPLATE_ID),
                        MessagingVariables.TEMPLATE_DATA.from(execution).getOrNull(),
                        SendTaskSupport.text(execution, MessagingVariables.CATEGORY),
                        SendTaskSupport.text(execution, MessagingVariables.FROM_EMAIL),
                        SendTaskSupport.text(execution, MessagingVariables.FROM_NAME),
                        SendTaskSupport.whenCapped(execution)));
    }
}
