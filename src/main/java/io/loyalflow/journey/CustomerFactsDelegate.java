package io.loyalflow.journey;

import io.loyalflow.platform.engine.JourneyStartVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Read customer facts" step ({@code ${customerFacts}}): writes, as small typed variables, what the
 * decision tables after it read ({@link DecisionFacts.Facts}).
 */
@Component("customerFacts")
class CustomerFactsDelegate implements JavaDelegate {

    private final DecisionFacts facts;

    CustomerFactsDelegate(DecisionFacts facts) {
        this.facts = facts;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String customerId = JourneyStartVariables.CUSTOMER_ID.from(execution).getOrNull();
        DecisionFacts.Facts row = facts.of(customerId)
                .orElseThrow(() -> new IllegalStateException(
                        "Step '" + execution.getCurrentActivityName() + "': no customer " + customerId + " (erased?)"));
        row.setOn(execution);
    }
}
