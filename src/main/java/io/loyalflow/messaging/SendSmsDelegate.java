package io.loyalflow.messaging;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Send SMS" journey step ({@code camunda:delegateExpression="${sendSms}"}). */
@Component(SendStep.SEND_SMS_BEAN)
class SendSmsDelegate implements JavaDelegate {

  private final Outbox outbox;

  SendSmsDelegate(Outbox outbox) {
    this.outbox = outbox;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Outbox.StepContext step = SendTaskSupport.context(execution);
    Outbox.StepResult result = outbox.sendSms(step, new Outbox.SmsStep(
        SendTaskSupport.text(execution, SendStep.CUSTOMER_ID),
        SendTaskSupport.required(execution, SendStep.SMS_TEXT),
        SendTaskSupport.text(execution, SendStep.CATEGORY),
        SendTaskSupport.whenCapped(execution)));
    SendTaskSupport.writeResult(execution, step, result);
  }
}
