package io.loyalflow.journey;

import io.loyalflow.platform.engine.JourneyStartVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Start scenario" step ({@code ${startScenario}}): starts the input {@code scenario} (see {@link Scenarios}). */
@Component("startScenario")
class StartScenarioDelegate implements JavaDelegate {

    private final Scenarios scenarios;

    StartScenarioDelegate(Scenarios scenarios) {
        this.scenarios = scenarios;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String started = scenarios.start(new Scenarios.Start(
                execution.getCurrentActivityName(),
                JourneyVariables.SCENARIO.from(execution).getOrNull(),
                execution.getProcessBusinessKey(),
                JourneyStartVariables.CUSTOMER_ID.from(execution).getOrNull(),
                JourneyStartVariables.CAMPAIGN_KEY.from(execution).getOrNull(),
                JourneyStartVariables.CAMPAIGN_REVISION.from(execution).getOrNull(),
                execution.getProcessInstanceId()));
        JourneyVariables.SCENARIO_INSTANCE_ID.on(execution).set(started);
    }
}
