package io.loyalflow.experiment;

import io.loyalflow.platform.engine.JourneyStartVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.springframework.stereotype.Component;

/** "A/B split" step: the customer's arm (see {@link AbSplits}) goes to a variable (default {@code arm}). */
@Component("abSplit")
class AbSplitDelegate implements JavaDelegate {

    private final AbSplits splits;

    AbSplitDelegate(AbSplits splits) {
        this.splits = splits;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String armVariable =
                ExperimentVariables.ARM_VARIABLE.from(execution).getOrDefault(ExperimentVariables.ARM.name());
        String arm = splits.assign(new AbSplits.Split(
                (FlowNode) execution.getBpmnModelElementInstance(),
                ExperimentVariables.EXPERIMENT_KEY.from(execution).getOrNull(),
                ExperimentVariables.ARMS.from(execution).getOrNull(),
                armVariable,
                JourneyStartVariables.CUSTOMER_ID.from(execution).getOrNull(),
                execution.getProcessInstanceId(),
                JourneyStartVariables.CAMPAIGN_KEY.from(execution).getOrNull()));
        ExperimentVariables.ARM.named(armVariable).on(execution).set(arm);
    }
}
