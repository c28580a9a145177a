package io.loyalflow.journey;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * "Enter the next customers" ({@code ${enterCampaignChunk}}) in the campaign-entry process: one chunk
 * of one campaign per job, in the job's transaction. Reads and writes the branch's variables
 * {@code campaignId}, {@code entryCursor}, {@code moreToEnter} and {@code entryOutcomes}.
 */
@Component("enterCampaignChunk")
class EnterCampaignChunkDelegate implements JavaDelegate {

  static final String CAMPAIGN_ID = "campaignId";
  static final String CURSOR = "entryCursor";
  static final String MORE = "moreToEnter";
  static final String OUTCOMES = "entryOutcomes";

  private final CampaignEntry entry;

  EnterCampaignChunkDelegate(CampaignEntry entry) {
    this.entry = entry;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String campaignId = (String) execution.getVariable(CAMPAIGN_ID);
    long cursor = ((Number) execution.getVariable(CURSOR)).longValue();
    CampaignEntry.Chunk chunk = entry.enterNextChunk(campaignId, cursor, execution.getProcessInstanceId());
    execution.setVariable(CURSOR, Variables.longValue(chunk.cursor()));
    execution.setVariable(MORE, Variables.booleanValue(chunk.more()));
    execution.setVariable(OUTCOMES, Variables.stringValue(
        CampaignEntry.addOutcomes(execution.getVariable(OUTCOMES), chunk.outcomes())));
  }
}
