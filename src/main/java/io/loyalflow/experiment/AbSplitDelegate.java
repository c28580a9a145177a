package io.loyalflow.experiment;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.springframework.stereotype.Component;

/**
 * "A/B split" step: puts the journey's customer into one arm of an experiment and writes the arm to
 * a process variable (default {@code arm}) for the gateway after the task. Inputs (the element
 * template's fields): {@code experimentKey}, {@code arms} ({@code A:50, B:50}), optionally
 * {@code armVariable} and {@code customerId} (default: the process variable). The step refuses to
 * run (an incident on it) while an arm of its weights has no branch of its own after it.
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
    String customerId = text(execution, CUSTOMER_ID);
    String armVariable = execution.getVariable(ARM_VARIABLE) == null ? ArmBranches.DEFAULT_ARM_VARIABLE
        : text(execution, ARM_VARIABLE);
    if (experimentKey == null || experimentKey.isBlank() || experimentKey.length() > 100) {
      throw new IllegalArgumentException(step + ": experimentKey must be 1 to 100 characters");
    }
    if (customerId == null || customerId.isBlank()) {
      throw new IllegalArgumentException(step + ": no customerId (an input of the task or a process variable)");
    }
    Arms arms = routedArms(execution, step, armVariable);
    String arm = assignments.armOf(experimentKey.trim(), customerId, arms, execution.getProcessInstanceId());
    execution.setVariable(armVariable, Variables.stringValue(arm));
  }

  /** The weights, refused unless every arm has a branch of its own after the step (else: an incident on it). */
  private static Arms routedArms(DelegateExecution execution, String step, String armVariable) {
    Arms arms;
    try {
      arms = Arms.parse(text(execution, ARMS));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(step + ": arms: " + e.getMessage(), e);
    }
    List<String> faults = ArmBranches.after((FlowNode) execution.getBpmnModelElementInstance(), armVariable).faults(arms);
    if (!faults.isEmpty()) {
      throw new IllegalArgumentException(step + ": " + String.join("; ", faults));
    }
    return arms;
  }

  private static String text(DelegateExecution execution, String name) {
    Object value = execution.getVariable(name);
    return value == null ? null : value.toString();
  }
}
