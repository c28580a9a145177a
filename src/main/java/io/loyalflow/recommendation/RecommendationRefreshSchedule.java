package io.loyalflow.recommendation;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The schedule of the recommendation-refresh process's timer start event
 * ({@code ${recommendationRefreshSchedule.cycle}}): a Camunda timer cycle, by default every day at 03:00 server
 * time, after the customer-value refit (02:00) and the segment refresh (02:30), when the shop is quiet. Read when
 * the process is deployed: after changing it, redeploy the process.
 */
@Component("recommendationRefreshSchedule")
public class RecommendationRefreshSchedule {

    private final String cycle;

    RecommendationRefreshSchedule(@Value("${loyalflow.recommendations.refresh-cycle:0 0 3 * * ?}") String cycle) {
        this.cycle = cycle;
    }

    public String getCycle() {
        return cycle;
    }
}
