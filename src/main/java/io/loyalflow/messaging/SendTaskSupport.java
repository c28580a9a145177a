package io.loyalflow.messaging;

import io.loyalflow.messaging.Outbox.StepContext;
import io.loyalflow.messaging.Outbox.StepResult;
import io.loyalflow.platform.engine.ProcessVariable;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
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
    static ProcessVariable<Integer> visitsVariable(String activityId) {
        return MessagingVariables.completedVisits(activityId);
    }

    private SendTaskSupport() {}

    /**
     * The task's id, and in a multi-instance task, or a task inside a multi-instance subprocess (an
     * e-mail series), the instance's loop counter too: each instance is a step of its own, so e-mail 2
     * of a series ({@code Task_SendSeriesEmail[1]}) never finds e-mail 1's delivery and a retried job
     * of one instance finds its own.
     */
    static String stepName(DelegateExecution execution) {
        Object loopCounter = insideMultiInstance(execution.getBpmnModelElementInstance())
                ? MessagingVariables.LOOP_COUNTER.from(execution).getOrNull()
                : null;
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
        int completed = visitsVariable(step).from(execution).getOrDefault(0);
        return new StepContext(
                execution.getProcessInstanceId(),
                step + "#" + (completed + 1),
                activityId,
                processKey(execution),
                execution.getProcessBusinessKey(),
                name -> Optional.ofNullable(execution.getVariable(name)));
    }

    /** A message that went out, was refused or failed: its results go to the process for the gateway after the step. */
    static void writeResult(DelegateExecution execution, StepResult result) {
        ProcessVariable<Integer> visits = visitsVariable(stepName(execution));
        visits.on(execution).set(visits.from(execution).getOrDefault(0) + 1);
        MessagingVariables.DELIVERY_OUTCOME.on(execution).set(result.outcome().name());
        MessagingVariables.DELIVERY_ID.on(execution).set(result.deliveryId());
    }

    /** A deferred message: when the step tries again and why, on the waiting task for operators. */
    static void writeDeferral(DelegateExecution execution, StepResult result) {
        MessagingVariables.DELIVERY_RETRY_AT.on(execution).setLocal(Date.from(result.retryAt()));
        MessagingVariables.DELIVERY_DEFERRED_BECAUSE.on(execution).setLocal(result.reason());
    }

    static String text(DelegateExecution execution, ProcessVariable<String> variable) {
        String value = variable.from(execution).getOrNull();
        if (value == null) {
            return null;
        }
        String text = value.trim();
        return text.isEmpty() ? null : text;
    }

    static String required(DelegateExecution execution, ProcessVariable<String> variable) {
        String value = text(execution, variable);
        if (value == null) {
            throw new IllegalArgumentException("The send task '" + execution.getCurrentActivityId() + "' has no '"
                    + variable.name() + "' input parameter: set it in the Modeler (element template field).");
        }
        return value;
    }

    static SendGate.WhenCapped whenCapped(DelegateExecution execution) {
        String value = text(execution, MessagingVariables.WHEN_CAPPED);
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
