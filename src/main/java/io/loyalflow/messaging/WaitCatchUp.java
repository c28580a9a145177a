package io.loyalflow.messaging;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.model.bpmn.instance.EventBasedGateway;
import org.camunda.bpm.model.bpmn.instance.EventDefinition;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ReceiveTask;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An open (or click, bounce, SMS status) that arrived before the journey reached its wait still
 * counts: when a journey enters a wait for one of Loyalflow's engagement messages, engagements
 * already recorded for it are delivered right after that transaction commits (the wait's message
 * subscriptions exist by then). Listens to the engine's execution events (Camunda's Spring event
 * bridge), so analysts model nothing extra.
 */
@Component
class WaitCatchUp {

    private final EngagementCorrelator correlator;

    WaitCatchUp(EngagementCorrelator correlator) {
        this.correlator = correlator;
    }

    @EventListener
    public void onStart(DelegateExecution execution) {
        if (!ExecutionListener.EVENTNAME_START.equals(execution.getEventName())) {
            return;
        }
        Set<String> awaited = awaitedMessages(execution.getBpmnModelElementInstance());
        if (awaited.isEmpty() || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        String processInstanceId = execution.getProcessInstanceId();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                List<EngagementCorrelator.Engagement> waiting = correlator.waitingFor(processInstanceId, awaited);
                if (!waiting.isEmpty()) {
                    correlator.correlateHere(waiting);
                }
            }
        });
    }

    /** The engagement messages a flow node waits for: its own, or those after an event-based gateway. */
    static Set<String> awaitedMessages(ModelElementInstance element) {
        Set<String> messages = new HashSet<>();
        if (element instanceof EventBasedGateway gateway) {
            // By sourceRef, not <outgoing>: hand-written or generated BPMN may leave out the redundant <outgoing>
            // children.
            for (SequenceFlow flow : gateway.getModelInstance().getModelElementsByType(SequenceFlow.class)) {
                if (flow.getSource() == gateway) {
                    addMessage(flow.getTarget(), messages);
                }
            }
        } else if (element instanceof FlowNode node) {
            addMessage(node, messages);
        }
        return messages;
    }

    private static void addMessage(FlowNode node, Set<String> messages) {
        if (node instanceof IntermediateCatchEvent event) {
            for (EventDefinition definition : event.getEventDefinitions()) {
                if (definition instanceof MessageEventDefinition message
                        && message.getMessage() != null
                        && EngagementMessages.ALL.contains(message.getMessage().getName())) {
                    messages.add(message.getMessage().getName());
                }
            }
        } else if (node instanceof ReceiveTask task
                && task.getMessage() != null
                && EngagementMessages.ALL.contains(task.getMessage().getName())) {
            messages.add(task.getMessage().getName());
        }
    }
}
