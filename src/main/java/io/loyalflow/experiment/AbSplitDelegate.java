package io.loyalflow.experiment;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * "A/B split" step: puts the journey's customer into one arm of an experiment and writes the arm to
 * a process variable (default {@code arm}) for the gateway after the task. Inputs (the element
 * template's fields): {@code experimentKey}, {@code arms} ({@code A:50, B:50}), optionally
 * {@code armVariable} and {@code customerId} (default: the process variable).
 */
@Component("abSplit")
class AbSplitDelegate implements JavaDelegate {

  static final String EXPERIMENT_KEY = "experimentKey";
  static final String ARMS = "arms";
  static final String ARM_VARIABLE = "armVariable";
  static final String CUSTOMER_ID = "customerId";

  private final ExperimentAssignments assignments;

  AbSplitDelegate(ExperimentAssignments assignments) {
    this.assignments = assignments;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String step = "A/B split '" + (execution.getCurrentActivityName() == null ? execution.getCurrentActivityId()
        : execution.getCurrentActivityName()) + "'";
    String experimentKey = text(execution, EXPERIMENT_KEY);
    String armsText = text(execution, ARMS);
    String customerId = text(execution, CUSTOMER_ID);
    String armVariable = execution.getVariable(ARM_VARIABLE) == null ? "arm" : text(execution, ARM_VARIABLE);
    if (experimentKey == null || experimentKey.isBlank() || experimentKey.length() > 100) {
      throw new IllegalArgumentException(step + ": experimentKey must be 1 to 100 characters");
    }
    if (customerId == null || customerId.isBlank()) {
      throw new IllegalArgumentException(step + ": no customerId (an input of the task or a process variable)");
    }
    Arms arms;
    try {
      arms = Arms.parse(armsText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(step + ": arms: " + e.getMessage(), e);
    }
    String arm = assignments.armOf(experimentKey.trim(), customerId, arms, execution.getProcessInstanceId());
    execution.setVariable(armVariable, Variables.stringValue(arm));
  }

  private static String text(DelegateExecution execution, String name) {
    Object value = execution.getVariable(name);
    return value == null ? null : value.toString();
  }
}
