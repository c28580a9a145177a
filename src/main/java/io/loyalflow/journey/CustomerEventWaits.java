package io.loyalflow.journey;

import io.loyalflow.messaging.EngagementMessages;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.CatchEvent;
import org.camunda.bpm.model.bpmn.instance.EventBasedGateway;
import org.camunda.bpm.model.bpmn.instance.EventDefinition;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ReceiveTask;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Notices a journey reaching a wait for a customer event ({@code Msg_<type>}: an intermediate
 * message catch event, a receive task, the message events after an event-based gateway, or a
 * message boundary event of an activity) and publishes {@link CustomerEventAwaited} in that
 * transaction, so events the customer reported before are caught up after the commit. Listens to
 * the engine's execution events (Camunda's Spring event bridge), so analysts model nothing extra.
 * Waits for facts delivered otherwise (engagement messages, orders, referrals) are left out.
 */
@Component
class CustomerEventWaits {

    private static final Set<String> OTHER_FACTS = Set.of(OrderGoal.ORDER_PLACED, ReferralGoal.REFERRAL_MADE);

    private final ApplicationEventPublisher events;
    private final Map<String, List<String>> awaited = new ConcurrentHashMap<>();

    CustomerEventWaits(ApplicationEventPublisher events) {
        this.events = events;
    }

    @EventListener
    public void onStart(DelegateExecution execution) {
        if (!ExecutionListener.EVENTNAME_START.equals(execution.getEventName())
                || execution.getProcessBusinessKey() == null) {
            return;
        }
        // a deployed definition never changes: what a flow node waits for is worked out once
        List<String> types = awaited.computeIfAbsent(
                execution.getProcessDefinitionId() + "#" + execution.getCurrentActivityId(),
                node -> awaitedTypes(execution.getBpmnModelElementInstance()));
        if (!types.isEmpty()) {
            events.publishEvent(new CustomerEventAwaited(
                    execution.getProcessInstanceId(), execution.getProcessBusinessKey(), types));
        }
    }

    /** The customer-event types a flow node waits for, in model order. */
    static List<String> awaitedTypes(ModelElementInstance element) {
        Set<String> messages = new LinkedHashSet<>();
        if (element instanceof EventBasedGateway gateway) {
            // by sourceRef: hand-written BPMN may leave out the redundant <outgoing> children
            for (SequenceFlow flow : gateway.getModelInstance().getModelElementsByType(SequenceFlow.class)) {
                if (flow.getSource() == gateway && flow.getTarget() instanceof CatchEvent event) {
                    addDefinitions(event, messages);
                }
            }
        } else if (element instanceof FlowNode node) {
            if (node instanceof IntermediateCatchEvent || node instanceof ReceiveTask) {
                addMessages(node, messages);
            }
            if (node instanceof Activity activity) {
                for (BoundaryEvent boundary : activity.getModelInstance().getModelElementsByType(BoundaryEvent.class)) {
                    if (boundary.getAttachedTo() == activity) {
                        addMessages(boundary, messages);
                    }
                }
            }
        }
        List<String> types = new ArrayList<>();
        for (String message : messages) {
            if (message.startsWith(CustomerEvents.MESSAGE_PREFIX)
                    && !EngagementMessages.ALL.contains(message)
                    && !OTHER_FACTS.contains(message)) {
                String type = message.substring(CustomerEvents.MESSAGE_PREFIX.length());
                if (CustomerEvents.TYPE.matcher(type).matches()) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    private static void addMessages(FlowNode node, Set<String> messages) {
        if (node instanceof IntermediateCatchEvent event
                && event.getModelInstance().getModelElementsByType(SequenceFlow.class).stream()
                        .anyMatch(flow -> flow.getTarget() == event && flow.getSource() instanceof EventBasedGateway)) {
            // started when it fires: its gateway's start was the wait
            return;
        }
        if (node instanceof CatchEvent event) {
            addDefinitions(event, messages);
        } else if (node instanceof ReceiveTask task) {
            add(task.getMessage(), messages);
        }
    }

    private static void addDefinitions(CatchEvent event, Set<String> messages) {
        for (EventDefinition definition : event.getEventDefinitions()) {
            if (definition instanceof MessageEventDefinition message) {
                add(message.getMessage(), messages);
            }
        }
    }

    private static void add(Message message, Set<String> messages) {
        if (message != null && message.getName() != null) {
            messages.add(message.getName());
        }
    }
}
