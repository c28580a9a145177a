package io.loyalflow.platform.engine;

import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.event.HistoricTaskInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps what a Tasklist task shows only to its candidate group out of the task's history. Analysts read
 * history (Cockpit, the engine REST API's {@code /history/task}), not people: a task description may end with a
 * section that starts with {@link #TEAM_ONLY} (a customer's own words, e.g. a survey comment), and the history
 * records the description without that section. The running task keeps it, readable by those who may read the
 * task (its candidate group, operators, administrators) until it is completed.
 */
@Component
public class TaskHistoryRedaction extends AbstractProcessEnginePlugin {

    /** Starts the part of a task description that stays out of history. */
    public static final String TEAM_ONLY = "\n\n[For the team only] ";

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setHistoryEventHandler(new Redacting(configuration.getHistoryEventHandler()));
    }

    /** The description as history keeps it: without the team-only section. */
    public static String withoutTeamOnly(String description) {
        if (description == null) {
            return null;
        }
        int section = description.indexOf(TEAM_ONLY);
        return section < 0 ? description : description.substring(0, section);
    }

    private record Redacting(HistoryEventHandler delegate) implements HistoryEventHandler {

        @Override
        public void handleEvent(HistoryEvent event) {
            delegate.handleEvent(redact(event));
        }

        @Override
        public void handleEvents(List<HistoryEvent> events) {
            events.forEach(Redacting::redact);
            delegate.handleEvents(events);
        }

        private static HistoryEvent redact(HistoryEvent event) {
            if (event instanceof HistoricTaskInstanceEventEntity task) {
                task.setDescription(withoutTeamOnly(task.getDescription()));
            }
            return event;
        }
    }
}
