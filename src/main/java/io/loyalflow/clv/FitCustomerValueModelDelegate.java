package io.loyalflow.clv;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Fit the customer-value model" in the clv-refit process: outcome and summary go to variables Cockpit shows. */
@Component("fitCustomerValueModel")
class FitCustomerValueModelDelegate implements JavaDelegate {

    private final CustomerValueRefit refit;

    FitCustomerValueModelDelegate(CustomerValueRefit refit) {
        this.refit = refit;
    }

    @Override
    public void execute(DelegateExecution execution) {
        CustomerValueRefit.Outcome outcome = refit.refit();
        ClvVariables.FIT_OUTCOME.on(execution).set(outcome.outcome());
        outcome.version().ifPresent(ClvVariables.FIT_VERSION.on(execution)::set);
        outcome.customers().ifPresent(ClvVariables.CUSTOMERS.on(execution)::set);
        outcome.repeatBuyers().ifPresent(ClvVariables.REPEAT_BUYERS.on(execution)::set);
        outcome.durationMillis().ifPresent(ClvVariables.DURATION_MILLIS.on(execution)::set);
        outcome.converged().ifPresent(ClvVariables.CONVERGED.on(execution)::set);
        outcome.reason().ifPresent(ClvVariables.REASON.on(execution)::set);
    }
}
