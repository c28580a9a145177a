package io.loyalflow.recommendation;

import io.loyalflow.platform.engine.JourneyStartVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Find product recommendations" step ({@code ${recommendProducts}}): see {@link RecommendationSteps}. Its order is
 * only the step's own input: an order that woke the journey earlier does not seed it.
 */
@Component("recommendProducts")
class RecommendProductsDelegate implements JavaDelegate {

    private final RecommendationSteps steps;

    RecommendProductsDelegate(RecommendationSteps steps) {
        this.steps = steps;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String orderId = RecommendationVariables.ORDER_ID
                .from(execution)
                .getLocalOptional()
                .orElse(null);
        RecommendationSteps.Recommendations found = steps.recommend(new RecommendationSteps.Step(
                execution.getCurrentActivityName(),
                execution.getCurrentActivityId(),
                JourneyStartVariables.CUSTOMER_ID.from(execution).getOrNull(),
                orderId,
                RecommendationVariables.RESULT_VARIABLE.from(execution).getOrNull(),
                RecommendationVariables.COUNT.from(execution).getOrNull()));
        found.variables()
                .forEach((name, value) -> RecommendationVariables.RECOMMENDATIONS
                        .named(name)
                        .on(execution)
                        .set(value));
    }
}
