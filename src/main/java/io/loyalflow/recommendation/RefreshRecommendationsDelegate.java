package io.loyalflow.recommendation;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Rebuild the recommendation model" in the recommendation-refresh process: outcome and counts for Cockpit. */
@Component("refreshRecommendations")
class RefreshRecommendationsDelegate implements JavaDelegate {

    private final RecommendationRefresh refresh;

    RefreshRecommendationsDelegate(RecommendationRefresh refresh) {
        this.refresh = refresh;
    }

    @Override
    public void execute(DelegateExecution execution) {
        RecommendationRefresh.Outcome outcome = refresh.refresh();
        RecommendationVariables.REFRESH_OUTCOME.on(execution).set(outcome.outcome());
        if (outcome.version() != null) {
            RecommendationVariables.MODEL_VERSION.on(execution).set(outcome.version());
            RecommendationVariables.ORDERS.on(execution).set(outcome.orders());
            RecommendationVariables.PRODUCTS.on(execution).set(outcome.products());
            RecommendationVariables.PAIRS.on(execution).set(outcome.pairs());
            RecommendationVariables.DURATION_MILLIS.on(execution).set(outcome.durationMillis());
        }
    }
}
