package io.loyalflow.journey;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/** "Enter customers into campaigns" ({@code ${enterCampaigns}}) in the campaign-entry process. */
@Component("enterCampaigns")
class EnterCampaignsDelegate implements JavaDelegate {

  private final CampaignEntry entry;

  EnterCampaignsDelegate(CampaignEntry entry) {
    this.entry = entry;
  }

  @Override
  public void execute(DelegateExecution execution) {
    CampaignEntry.Summary summary = entry.runAll();
    execution.setVariable("enrolled", Variables.integerValue(summary.enrolled()));
    execution.setVariable("entrySummary", Variables.stringValue(summary.byCampaign().toString()));
  }
}
