package io.loyalflow.journey;

import java.util.ArrayList;
import java.util.Locale;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
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
 * event's name from its id ({@code EndEvent_Lapsed} → LAPSED), CANCELLED when an operator deleted it.
 */
@Component
class JourneyExits extends AbstractProcessEnginePlugin {

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
