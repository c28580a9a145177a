package io.loyalflow.messaging;

import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.bpmn.behavior.AbstractBpmnActivityBehavior;
import org.camunda.bpm.engine.impl.pvm.delegate.ActivityExecution;
import org.camunda.bpm.engine.variable.Variables;

/**
 * What both send steps ({@code ${sendEmail}}, {@code ${sendSms}}) do with the outbox's answer. A
 * message that went out, was refused or failed completes the step: its results go to the process for
 * the gateway after it, and the token moves on. A message the gate defers (outside the sending window,
 * or the cap with DEFER) does not complete the step: the token stays at the send task, with
 * {@code deliveryRetryAt} and {@code deliveryDeferredBecause} on the task for operators, until
 * {@link DeferredSends} starts the step's job again when the window opens. No model has to handle a
 * deferral, so no deferred message can be dropped by a model that forgot to.
 *
 * <p>Why an engine {@code impl} class: a {@code camunda:delegateExpression} bean that is an
 * {@code ActivityBehavior} rather than a {@code JavaDelegate} decides itself whether the task
 * completes (the engine's delegate-expression behaviour invokes it and, unlike for a JavaDelegate,
 * does not leave the task); that is the only way for a service task to wait without an extra element
 * in the model. {@link AbstractBpmnActivityBehavior} gives {@code leave} its BPMN meaning (conditions
 * on outgoing flows, compensation). The {@code impl} use is confined to this class.
 */
abstract class SendTaskBehavior extends AbstractBpmnActivityBehavior {

  private final DeferredSends deferredSends;

  SendTaskBehavior(DeferredSends deferredSends) {
    this.deferredSends = deferredSends;
  }

  /** Sends the step's message through the outbox, once. */
  abstract Outbox.StepResult send(DelegateExecution execution, Outbox.StepContext step);

  @Override
  public void execute(ActivityExecution execution) {
    Outbox.StepContext step = SendTaskSupport.context(execution);
    Outbox.StepResult result = send(execution, step);
    if (result.outcome() == SendOutcome.DEFERRED) {
      deferredSends.waiting(result.deliveryId(), execution.getId());
      execution.setVariableLocal(SendStep.RETRY_AT, Variables.dateValue(Date.from(result.retryAt())));
      execution.setVariableLocal(SendStep.DEFERRED_BECAUSE, Variables.stringValue(result.reason()));
      return;
    }
    SendTaskSupport.writeResult(execution, step, result);
    leave(execution);
  }
}
