package io.loyalflow.clv;

import io.loyalflow.platform.problem.Refusal;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * "Fit the customer-value model" in the clv-refit process: a fit on the orders up to today. Its
 * outcome and a short summary become variables Cockpit shows; a fit already running elsewhere is an
 * outcome, not a failure.
 */
@Component("fitCustomerValueModel")
class FitCustomerValueModelDelegate implements JavaDelegate {

  private final CustomerValueFits fits;

  FitCustomerValueModelDelegate(CustomerValueFits fits) {
    this.fits = fits;
  }

  @Override
  public void execute(DelegateExecution execution) {
    try {
      CustomerValueFits.Fit fit = fits.fit(null);
      execution.setVariable("fitOutcome", Variables.stringValue(fit.status().name()));
      execution.setVariable("fitVersion", Variables.longValue(fit.version()));
      execution.setVariable("customers", Variables.integerValue(fit.customers()));
      execution.setVariable("repeatBuyers", Variables.integerValue(fit.repeatBuyers()));
      execution.setVariable("durationMillis", Variables.longValue(fit.durationMillis()));
      if (fit.purchaseModel() != null) {
        execution.setVariable("converged", Variables.booleanValue(fit.purchaseModel().converged()
            && fit.spendModel().converged()));
      }
      if (fit.reason() != null) {
        execution.setVariable("reason", Variables.stringValue(fit.reason()));
      }
    } catch (Refusal e) {
      if (e.kind() != Refusal.Kind.CONFLICT) {
        throw e;
      }
      execution.setVariable("fitOutcome", Variables.stringValue("ALREADY_RUNNING"));
    }
  }
}
