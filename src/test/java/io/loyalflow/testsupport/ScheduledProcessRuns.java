package io.loyalflow.testsupport;

import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Job;

/**
 * Runs a process started by a timer start event the way its schedule would, deterministically: the
 * schedule's job, then the instance's one asynchronous job. For the system processes
 * (segment-refresh, clv-refit).
 */
public final class ScheduledProcessRuns {

    private final String processKey;
    private final ManagementService management;
    private final HistoryService history;

    public ScheduledProcessRuns(String processKey, ManagementService management, HistoryService history) {
        this.processKey = processKey;
        this.management = management;
        this.history = history;
    }

    public Job scheduleJob() {
        return management
                .createJobQuery()
                .processDefinitionKey(processKey)
                .timers()
                .singleResult();
    }

    /** Fires the schedule, then runs the started instance's job; returns the finished instance. */
    public HistoricProcessInstance fire() {
        List<String> before =
                history.createHistoricProcessInstanceQuery().processDefinitionKey(processKey).list().stream()
                        .map(HistoricProcessInstance::getId)
                        .toList();
        management.executeJob(scheduleJob().getId());
        HistoricProcessInstance started =
                history.createHistoricProcessInstanceQuery().processDefinitionKey(processKey).list().stream()
                        .filter(p -> !before.contains(p.getId()))
                        .findFirst()
                        .orElseThrow();
        Job step =
                management.createJobQuery().processInstanceId(started.getId()).singleResult();
        management.executeJob(step.getId());
        return history.createHistoricProcessInstanceQuery()
                .processInstanceId(started.getId())
                .singleResult();
    }

    /** The instance's flow nodes in the order they ran. */
    public List<String> path(HistoricProcessInstance instance) {
        return history
                .createHistoricActivityInstanceQuery()
                .processInstanceId(instance.getId())
                .orderByHistoricActivityInstanceStartTime()
                .asc()
                .orderPartiallyByOccurrence()
                .asc()
                .list()
                .stream()
                .map(HistoricActivityInstance::getActivityId)
                .toList();
    }

    public Object variable(HistoricProcessInstance instance, String name) {
        var found = history.createHistoricVariableInstanceQuery()
                .processInstanceId(instance.getId())
                .variableName(name)
                .singleResult();
        return found == null ? null : found.getValue();
    }
}
