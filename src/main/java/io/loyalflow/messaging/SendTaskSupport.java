package io.loyalflow.messaging;

import io.loyalflow.messaging.Outbox.StepContext;
import io.loyalflow.messaging.Outbox.StepResult;
import java.util.Locale;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

/** What both send steps share: reading the task's configuration and writing its typed results. */
final class SendTaskSupport {

  /**
   * Per send task, how many visits have completed in this journey. The n-th visit of a task is the
   * step "activityId#n": stable across retries of the same visit and across its deferral (the counter
   * only moves when the visit completes), distinct for a later visit (a loop).
   */
  static String visitsVariable(String activityId) {
    return "sends_" + activityId;
  }

  private SendTaskSupport() {
  }

  /**
   * The task's id, and in a multi-instance task, or a task inside a multi-instance subprocess (an
   * e-mail series), the instance's loop counter too: each instance is a step of its own, so e-mail 2
   * of a series ({@code Task_SendSeriesEmail[1]}) never finds e-mail 1's delivery and a retried job
   * of one instance finds its own.
   */
  static String stepName(DelegateExecution execution) {
    Object loopCounter = insideMultiInstance(execution.getBpmnModelElementInstance())
        ? execution.getVariable("loopCounter") : null;
    return execution.getCurrentActivityId() + (loopCounter == null ? "" : "[" + loopCounter + "]");
  }

  /** The innermost multi-instance activity around (or at) the element decides; its instance holds loopCounter. */
  private static boolean insideMultiInstance(ModelElementInstance element) {
    for (ModelElementInstance at = element; at != null && !(at instanceof Process); at = at.getParentElement()) {
      if (at instanceof Activity activity && activity.getLoopCharacteristics() != null) {
        return true;
      }
    }
    return false;
  }

  static StepContext context(DelegateExecution execution) {
    String activityId = execution.getCurrentActivityId();
    String step = stepName(execution);
    Object visits = execution.getVariable(visitsVariable(step));
    int completed = visits instanceof Number number ? number.intValue() : 0;
    return new StepContext(execution.getProcessInstanceId(), step + "#" + (completed + 1), activityId,
        processKey(execution), execution.getProcessBusinessKey(),
        name -> Optional.ofNullable(execution.getVariable(name)));
  }

  static void writeResult(DelegateExecution execution, StepContext step, StepResult result) {
    String name = visitsVariable(stepName(execution));
    Object visits = execution.getVariable(name);
    int completed = visits instanceof Number number ? number.intValue() : 0;
    execution.setVariable(name, Variables.integerValue(completed + 1));
    execution.setVariable(SendStep.OUTCOME, Variables.stringValue(result.outcome().name()));
    execution.setVariable(SendStep.DELIVERY_ID, Variables.stringValue(result.deliveryId()));
  }

  static String text(DelegateExecution execution, String name) {
    Object value = execution.getVariable(name);
    if (value == null) {
      return null;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  static String required(DelegateExecution execution, String name) {
    String value = text(execution, name);
    if (value == null) {
      throw new IllegalArgumentException("The send task '" + execution.getCurrentActivityId() + "' has no '" + name
          + "' input parameter: set it in the Modeler (element template field).");
    }
    return value;
  }

  static SendGate.WhenCapped whenCapped(DelegateExecution execution) {
    String value = text(execution, SendStep.WHEN_CAPPED);
    if (value == null) {
      return SendGate.WhenCapped.SKIP;
    }
    try {
      return SendGate.WhenCapped.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("whenCapped must be SKIP or DEFER, not '" + value + "'");
    }
  }

  private static String processKey(DelegateExecution execution) {
    ModelElementInstance element = execution.getBpmnModelElementInstance();
    while (element != null && !(element instanceof Process)) {
      element = element.getParentElement();
    }
    return element == null ? null : ((Process) element).getId();
  }
}
