package io.loyalflow.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;

/**
 * The flow nodes of a deployed model in model order: from the start events along the sequence flows (breadth
 * first), each activity followed by its boundary events and each sub-process by its own nodes; nodes no path
 * reaches (event sub-processes) after them, in document order.
 */
final class ModelSteps {

    record Step(String id, String name, String type) {}

    private ModelSteps() {}

    static List<Step> of(BpmnModelInstance model) {
        Map<String, Step> ordered = new LinkedHashMap<>();
        Deque<FlowNode> queue = new ArrayDeque<>();
        List<FlowNode> all = new ArrayList<>(model.getModelElementsByType(FlowNode.class));
        for (Process process : model.getModelElementsByType(Process.class)) {
            for (FlowElement element : process.getFlowElements()) {
                if (element instanceof StartEvent start) {
                    queue.add(start);
                }
            }
        }
        while (!queue.isEmpty()) {
            FlowNode node = queue.poll();
            if (ordered.containsKey(node.getId())) {
                continue;
            }
            ordered.put(node.getId(), step(node));
            if (node instanceof Activity) {
                for (FlowNode other : all) {
                    if (other instanceof BoundaryEvent boundary
                            && boundary.getAttachedTo() != null
                            && boundary.getAttachedTo().getId().equals(node.getId())) {
                        queue.add(boundary);
                    }
                }
            }
            if (node instanceof SubProcess sub) {
                for (FlowElement element : sub.getFlowElements()) {
                    if (element instanceof StartEvent start) {
                        queue.add(start);
                    }
                }
            }
            for (SequenceFlow flow : node.getOutgoing()) {
                queue.add(flow.getTarget());
            }
        }
        for (FlowNode node : all) {
            ordered.putIfAbsent(node.getId(), step(node));
        }
        return List.copyOf(ordered.values());
    }

    private static Step step(FlowNode node) {
        return new Step(node.getId(), node.getName(), node.getElementType().getTypeName());
    }
}
