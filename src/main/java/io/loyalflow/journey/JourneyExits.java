package io.loyalflow.journey;

import java.util.ArrayList;
import java.util.Locale;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Records the end of every campaign journey in its enrollment, in the engine's own transaction, so
 * the re-entry policy sees the exit exactly when the journey is over. The outcome is the process
 * variable {@code journeyOutcome} when set (CONVERTED when an order met the exit goal), else the end
 * event's name from its id ({@code EndEvent_Lapsed} → LAPSED) unless the end event names its outcome
 * (extension property {@code journeyOutcome}: two end events, one outcome), CANCELLED when an operator
 * deleted it.
 */
@Component
class JourneyExits extends AbstractProcessEnginePlugin {

    /** The end event's extension property naming its outcome. */
    static final String OUTCOME_PROPERTY = "journeyOutcome";

    private final ObjectProvider<Enrollments> enrollments;

    JourneyExits(ObjectProvider<Enrollments> enrollments) {
        this.enrollments = enrollments;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (configuration.getCustomPostBPMNParseListeners() == null) {
            configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
        }
        ExecutionListener onEnd = this::ended;
        ExecutionListener reached = JourneyExits::reachedEndEvent;
        configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
            @Override
            public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
                processDefinition.addListener(ExecutionListener.EVENTNAME_END, onEnd);
            }

            @Override
            public void parseEndEvent(Element endEventElement, ScopeImpl scope, ActivityImpl activity) {
                activity.addListener(ExecutionListener.EVENTNAME_START, reached);
                String declared = declaredOutcome(endEventElement);
                if (declared != null) {
                    ExecutionListener declare = execution -> declare(execution, declared);
                    activity.addListener(ExecutionListener.EVENTNAME_START, declare);
                }
            }
        });
    }

    /** Remembers the end event on the journey: an event subprocess's end is not the process's last activity. */
    private static void reachedEndEvent(DelegateExecution execution) {
        if (JourneyVariables.ENROLLMENT_KEY.from(execution).isPresent()) {
            JourneyVariables.JOURNEY_END_EVENT
                    .on(execution.getProcessInstance())
                    .set(execution.getCurrentActivityId());
        }
    }

    /** The end event's extension property {@code journeyOutcome}, or null. */
    static String declaredOutcome(Element endEvent) {
        Element extensions = endEvent.element("extensionElements");
        Element properties =
                extensions == null ? null : extensions.elementNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "properties");
        if (properties == null) {
            return null;
        }
        for (Element property : properties.elementsNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "property")) {
            if (OUTCOME_PROPERTY.equals(property.attribute("name"))) {
                return property.attribute("value");
            }
        }
        return null;
    }

    private static void declare(DelegateExecution execution, String outcome) {
        if (JourneyVariables.ENROLLMENT_KEY.from(execution).isPresent()) {
            JourneyVariables.JOURNEY_OUTCOME.on(execution.getProcessInstance()).set(outcome);
        }
    }

    private void ended(DelegateExecution execution) {
        if (!JourneyVariables.ENROLLMENT_KEY.from(execution).isPresent()
                || !execution.getId().equals(execution.getProcessInstanceId())) {
            return;
        }
        enrollments.getObject().exited(execution.getProcessInstanceId(), outcome(execution));
    }

    static String outcome(DelegateExecution execution) {
        String set = JourneyVariables.JOURNEY_OUTCOME.from(execution).getOrNull();
        if (set != null) {
            return set;
        }
        if (execution.isCanceled()) {
            return "CANCELLED";
        }
        String endEvent = JourneyVariables.JOURNEY_END_EVENT.from(execution).getOrNull();
        return outcomeOfEndEvent(endEvent != null ? endEvent : execution.getCurrentActivityId());
    }

    /** {@code EndEvent_RemindedBySms} → REMINDED_BY_SMS; anything else → COMPLETED. */
    static String outcomeOfEndEvent(String activityId) {
        if (activityId != null && activityId.startsWith("EndEvent_")) {
            return activityId
                    .substring("EndEvent_".length())
                    .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                    .toUpperCase(Locale.ROOT);
        }
        return "COMPLETED";
    }
}
