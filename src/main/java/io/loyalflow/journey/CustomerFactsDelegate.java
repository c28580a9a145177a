package io.loyalflow.journey;

import io.loyalflow.campaign.CampaignSteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * "Read customer facts" step ({@code ${customerFacts}}): writes, as small typed variables, what the
 * decision tables after it read ({@link DecisionFacts}): {@code hasEmail}, {@code hasPhone},
 * {@code emailConsent}, {@code smsConsent}, {@code preferredChannel}, {@code referralActivity} and
 * {@code successfulReferrals}.
 */
@Component("customerFacts")
class CustomerFactsDelegate implements JavaDelegate {

  private final DecisionFacts facts;

  CustomerFactsDelegate(DecisionFacts facts) {
    this.facts = facts;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String customerId = (String) execution.getVariable(CampaignSteps.CUSTOMER_ID);
    DecisionFacts.Facts row = facts.of(customerId).orElseThrow(() -> new IllegalStateException(
        "Step '" + execution.getCurrentActivityName() + "': no customer " + customerId + " (erased?)"));
    execution.setVariable("hasEmail", Variables.booleanValue(row.hasEmail()));
    execution.setVariable("hasPhone", Variables.booleanValue(row.hasPhone()));
    execution.setVariable("emailConsent", Variables.booleanValue(row.emailConsent()));
    execution.setVariable("smsConsent", Variables.booleanValue(row.smsConsent()));
    execution.setVariable("preferredChannel", Variables.stringValue(row.preferredChannel()));
    execution.setVariable("referralActivity", Variables.stringValue(row.referralActivity()));
    execution.setVariable("successfulReferrals", Variables.integerValue(row.successfulReferrals()));
  }
}
