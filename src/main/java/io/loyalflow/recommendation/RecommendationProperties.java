package io.loyalflow.recommendation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param window top sellers are counted over the orders placed within this window before now
 * @param count how many products a recommendation step recommends when the step does not say
 */
@ConfigurationProperties("loyalflow.recommendations")
record RecommendationProperties(Duration window, Integer count) {

    public RecommendationProperties {
        window = window == null ? Duration.ofDays(90) : window;
        count = count == null ? 3 : count;
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("loyalflow.recommendations.window must be positive, got " + window);
        }
        if (count < 1 || count > ProductRecommendations.MAX_COUNT) {
            throw new IllegalArgumentException("loyalflow.recommendations.count must be 1 to "
                    + ProductRecommendations.MAX_COUNT + ", got " + count);
        }
    }
}
