package io.loyalflow.messaging;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Send email" journey step ({@code camunda:delegateExpression="${sendEmail}"}). */
@Component(SendStep.SEND_EMAIL_BEAN)
class SendEmailDelegate implements JavaDelegate {

  private final Outbox outbox;

  SendEmailDelegate(Outbox outbox) {
    this.outbox = outbox;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Outbox.StepContext step = SendTaskSupport.context(execution);
    Outbox.StepResult result = outbox.sendEmail(step, new Outbox.EmailStep(
        SendTaskSupport.text(execution, SendStep.CUSTOMER_ID),
        SendTaskSupport.required(execution, SendStep.TEMPLATE_ID),
        execution.getVariable(SendStep.TEMPLATE_DATA),
        SendTaskSupport.text(execution, SendStep.CATEGORY),
        SendTaskSupport.text(execution, SendStep.FROM_EMAIL),
        SendTaskSupport.text(execution, SendStep.FROM_NAME),
        SendTaskSupport.whenCapped(execution)));
    SendTaskSupport.writeResult(execution, step, result);
  }
}
