package io.loyalflow.journey;

import io.loyalflow.campaign.CampaignSteps;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * "Start scenario" step ({@code ${startScenario}}): starts another process for the journey's
 * customer, e.g. a satisfaction survey. Input {@code scenario}: its process key. The scenario gets
 * the same business key (so Cockpit finds both by it), the customer, the campaign and its settings
 * revision, and {@code parentJourneyId}; the step writes {@code scenarioInstanceId}. The scenario
 * starts in the step's transaction, so a step that fails and is retried has started none.
 */
@Component("startScenario")
class StartScenarioDelegate implements JavaDelegate {

  static final String SCENARIO = "scenario";
  static final String PARENT_JOURNEY_ID = "parentJourneyId";
  static final String SCENARIO_INSTANCE_ID = "scenarioInstanceId";

  private final RuntimeService runtime;

  StartScenarioDelegate(RuntimeService runtime) {
    this.runtime = runtime;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Object scenario = execution.getVariable(SCENARIO);
    if (scenario == null || scenario.toString().isBlank()) {
      throw new IllegalArgumentException("Step '" + execution.getCurrentActivityName() + "': no scenario to start");
    }
    ProcessInstance started = runtime.createProcessInstanceByKey(scenario.toString().trim())
        .businessKey(execution.getProcessBusinessKey())
        .setVariable(CampaignSteps.CUSTOMER_ID, Variables.stringValue((String) execution.getVariable(CampaignSteps.CUSTOMER_ID)))
        .setVariable(CampaignSteps.CAMPAIGN_KEY, execution.getVariable(CampaignSteps.CAMPAIGN_KEY))
        .setVariable(CampaignSteps.CAMPAIGN_REVISION, execution.getVariable(CampaignSteps.CAMPAIGN_REVISION))
        .setVariable(PARENT_JOURNEY_ID, Variables.stringValue(execution.getProcessInstanceId()))
        .execute();
    execution.setVariable(SCENARIO_INSTANCE_ID, Variables.stringValue(started.getId()));
  }
}
