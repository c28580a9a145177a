package io.loyalflow.platform.engine;

import java.util.EnumSet;
import java.util.Set;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.camunda.bpm.engine.impl.history.event.HistoryEventType;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.runtime.Job;

/**
 * History level {@code journey}: everything FULL keeps that someone reads — process and activity instances (the
 * path a journey took, reports, Cockpit), variable instances (outcomes, A/B arms), every decision with its inputs
 * and outputs ("why did she get this?"), tasks, incidents, batches, identity links, the user operation log and
 * the job log of failures — without the three kinds of row FULL writes that nothing reads: a history detail per
 * variable change ({@code ACT_HI_DETAIL}, a second copy of every value written), the job log of a journey's jobs
 * created, done and deleted ({@code ACT_HI_JOB_LOG}, two to three rows per step; failures stay, with their stack
 * traces, and so does the whole log of jobs outside a process instance: batches such as migrations, schedules,
 * history cleanup), and form-property updates. Measured in docs/performance.md ("History level").
 */
public final class JourneyHistoryLevel implements HistoryLevel {

    public static final String NAME = "journey";

    /** Not one of Camunda's (0 to 3); stored in the database as the engine's history level. */
    public static final int ID = 30;

    private static final Set<HistoryEventTypes> DROPPED =
            EnumSet.of(HistoryEventTypes.VARIABLE_INSTANCE_UPDATE_DETAIL, HistoryEventTypes.FORM_PROPERTY_UPDATE);

    /** Kept only for jobs outside a process instance: batches (migrations, their report), schedules, cleanup. */
    private static final Set<HistoryEventTypes> JOB_LOG_OF_WORK_DONE =
            EnumSet.of(HistoryEventTypes.JOB_CREATE, HistoryEventTypes.JOB_SUCCESS, HistoryEventTypes.JOB_DELETE);

    @Override
    public int getId() {
        return ID;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean isHistoryEventProduced(HistoryEventType eventType, Object entity) {
        if (!(eventType instanceof HistoryEventTypes type)) {
            return true;
        }
        if (JOB_LOG_OF_WORK_DONE.contains(type)) {
            return !(entity instanceof Job job) || job.getProcessInstanceId() == null;
        }
        return !DROPPED.contains(type);
    }
}
