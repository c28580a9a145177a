package io.loyalflow.messaging;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.bpmn.behavior.AbstractBpmnActivityBehavior;
import org.camunda.bpm.engine.impl.pvm.delegate.ActivityExecution;

/** Both send steps: a message sent, refused or failed completes the step, a deferred one waits (see DeferredSends). */
abstract class SendTaskBehavior extends AbstractBpmnActivityBehavior {

    private final DeferredSends deferredSends;

    SendTaskBehavior(DeferredSends deferredSends) {
        this.deferredSends = deferredSends;
    }

    abstract Outbox.StepResult send(DelegateExecution execution, Outbox.StepContext step);

    @Override
    public void execute(ActivityExecution execution) {
        Outbox.StepResult result = send(execution, SendTaskSupport.context(execution));
        if (result.outcome() == SendOutcome.DEFERRED) {
            deferredSends.waiting(result.deliveryId(), execution.getId());
            SendTaskSupport.writeDeferral(execution, result);
        } else {
            SendTaskSupport.writeResult(execution, result);
            leave(execution);
        }
    }
}
