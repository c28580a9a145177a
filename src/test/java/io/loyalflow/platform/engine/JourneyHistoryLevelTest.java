package io.loyalflow.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.impl.history.event.HistoricVariableUpdateEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.persistence.entity.MessageEntity;
import org.junit.jupiter.api.Test;

class JourneyHistoryLevelTest {

    private final JourneyHistoryLevel level = new JourneyHistoryLevel();

    @Test
    void aJourneysJobsLeaveOnlyTheirFailuresInTheJobLogWhileBatchJobsKeepTheirWholeLog() {
        MessageEntity journeyStep = new MessageEntity();
        journeyStep.setProcessInstanceId("journey-1");
        MessageEntity migrationBatchJob = new MessageEntity();

        assertThat(level.isHistoryEventProduced(HistoryEventTypes.JOB_CREATE, journeyStep))
                .isFalse();
        assertThat(level.isHistoryEventProduced(HistoryEventTypes.JOB_SUCCESS, journeyStep))
                .isFalse();
        assertThat(level.isHistoryEventProduced(HistoryEventTypes.JOB_DELETE, journeyStep))
                .isFalse();
        assertThat(level.isHistoryEventProduced(HistoryEventTypes.JOB_FAIL, journeyStep))
                .isTrue();
        assertThat(level.isHistoryEventProduced(HistoryEventTypes.JOB_CREATE, migrationBatchJob))
                .isTrue();
        assertThat(level.isHistoryEventProduced(HistoryEventTypes.JOB_SUCCESS, migrationBatchJob))
                .isTrue();
    }

    @Test
    void everythingAJourneyIsExplainedByStaysAndTheSecondCopyOfVariableChangesGoes() {
        // the engine asks about the detail with the variable's history event
        assertThat(level.isHistoryEventProduced(
                        HistoryEventTypes.VARIABLE_INSTANCE_UPDATE_DETAIL, new HistoricVariableUpdateEventEntity()))
                .isFalse();
        assertThat(level.isHistoryEventProduced(HistoryEventTypes.FORM_PROPERTY_UPDATE, null))
                .isFalse();
        for (HistoryEventTypes kept : new HistoryEventTypes[] {
            HistoryEventTypes.PROCESS_INSTANCE_START,
            HistoryEventTypes.PROCESS_INSTANCE_END,
            HistoryEventTypes.ACTIVITY_INSTANCE_START,
            HistoryEventTypes.ACTIVITY_INSTANCE_END,
            HistoryEventTypes.VARIABLE_INSTANCE_CREATE,
            HistoryEventTypes.VARIABLE_INSTANCE_UPDATE,
            HistoryEventTypes.DMN_DECISION_EVALUATE,
            HistoryEventTypes.TASK_INSTANCE_CREATE,
            HistoryEventTypes.INCIDENT_CREATE,
            HistoryEventTypes.BATCH_START,
            HistoryEventTypes.USER_OPERATION_LOG,
            HistoryEventTypes.IDENTITY_LINK_ADD
        }) {
            assertThat(level.isHistoryEventProduced(kept, null)).as(kept.name()).isTrue();
        }
    }
}
