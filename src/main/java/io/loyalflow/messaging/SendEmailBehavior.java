package io.loyalflow.messaging;

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
    return outbox.sendEmail(step, new Outbox.EmailStep(
        SendTaskSupport.text(execution, SendStep.CUSTOMER_ID),
        SendTaskSupport.required(execution, SendStep.TEMPLATE_ID),
        execution.getVariable(SendStep.TEMPLATE_DATA),
        SendTaskSupport.text(execution, SendStep.CATEGORY),
        SendTaskSupport.text(execution, SendStep.FROM_EMAIL),
        SendTaskSupport.text(execution, SendStep.FROM_NAME),
        SendTaskSupport.whenCapped(execution)));
  }
}
