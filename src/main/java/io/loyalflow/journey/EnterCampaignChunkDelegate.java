package io.loyalflow.journey;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Enter the next customers" ({@code ${enterCampaignChunk}}) in the campaign-entry process: one chunk
 * of one campaign per job, in the job's transaction, from and to the branch's cursor.
 */
@Component("enterCampaignChunk")
class EnterCampaignChunkDelegate implements JavaDelegate {

    private final CampaignEntry entry;

    EnterCampaignChunkDelegate(CampaignEntry entry) {
        this.entry = entry;
    }

    @Override
    public void execute(DelegateExecution execution) {
        CampaignEntry.Chunk chunk = entry.enterNextChunk(
                JourneyVariables.CAMPAIGN_ID.from(execution).getOrNull(),
                JourneyVariables.ENTRY_CURSOR.from(execution).get(),
                execution.getProcessInstanceId());
        JourneyVariables.ENTRY_CURSOR.on(execution).set(chunk.cursor());
        JourneyVariables.MORE_TO_ENTER.on(execution).set(chunk.more());
        JourneyVariables.ENTRY_OUTCOMES
                .on(execution)
                .set(CampaignEntry.addOutcomes(
                        JourneyVariables.ENTRY_OUTCOMES.from(execution).getOrNull(), chunk.outcomes()));
    }
}
