package io.loyalflow.recommendation;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Time the cross-sell offer" step ({@code ${crossSellTiming}}): see {@link CrossSellTimingSteps}. */
@Component("crossSellTiming")
class CrossSellTimingDelegate implements JavaDelegate {

    private final CrossSellTimingSteps steps;

    CrossSellTimingDelegate(CrossSellTimingSteps steps) {
        this.steps = steps;
    }

    @Override
    public void execute(DelegateExecution execution) {
        CrossSellTimingSteps.Wait wait = steps.plan(new CrossSellTimingSteps.Step(
                execution.getCurrentActivityName(),
                execution.getCurrentActivityId(),
                RecommendationVariables.ORDER_ID.from(execution).getOrNull(),
                RecommendationVariables.MIN_WAIT.from(execution).getOrNull(),
                RecommendationVariables.MAX_WAIT.from(execution).getOrNull(),
                RecommendationVariables.DEFAULT_WAIT.from(execution).getOrNull()));
        RecommendationVariables.CROSS_SELL_WAIT.on(execution).set(wait.duration());
        RecommendationVariables.CROSS_SELL_WAIT_SOURCE.on(execution).set(wait.source());
    }
}
