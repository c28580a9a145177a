package io.loyalflow.recommendation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * What a "Find product recommendations" step does: checks its inputs and writes the customer's
 * recommended products as a JSON array of {@code {"sku": ..., "category": ...}}, best first. A send
 * step's template data hands it to SendGrid as an array when a value is exactly
 * {@code {{var.recommendations}}} (see MessageTokens), for the template's {@code {{#each}}}. Computed
 * once, at this step: a retried send shows the same products.
 */
@Service
class RecommendationSteps {

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The step's inputs as the model gave them (null when not set); the activity's name and id name it in refusals. */
    record Step(String activityName, String activityId, String customerId, String resultVariable, String count) {

        String label() {
            return "Step '" + (activityName == null ? activityId : activityName) + "'";
        }
    }

    /** The products as JSON, and the name of the variable they go to. */
    record Recommendations(String variable, String json) {}

    private final ProductRecommendations recommendations;

    RecommendationSteps(ProductRecommendations recommendations) {
        this.recommendations = recommendations;
    }

    Recommendations recommend(Step step) {
        String customerId = trimmed(step.customerId());
        if (customerId == null) {
            throw new IllegalArgumentException(
                    step.label() + ": no customerId (an input of the task or a process variable)");
        }
        String variable = trimmed(step.resultVariable());
        variable = variable == null ? RecommendationVariables.RECOMMENDATIONS.name() : variable;
        if (!VARIABLE_NAME.matcher(variable).matches()) {
            throw new IllegalArgumentException(step.label()
                    + ": resultVariable must be a variable name (letters, digits, _), got \"" + variable + "\"");
        }
        String count = trimmed(step.count());
        List<ProductRecommendations.Product> products = count == null
                ? recommendations.forCustomer(customerId)
                : recommendations.forCustomer(customerId, count(step, count));
        try {
            return new Recommendations(variable, JSON.writeValueAsString(products));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(Step step, String count) {
        int n;
        try {
            n = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    step.label() + ": count must be a whole number from 1 to " + ProductRecommendations.MAX_COUNT
                            + ", got \"" + count + "\"",
                    e);
        }
        if (n < 1 || n > ProductRecommendations.MAX_COUNT) {
            throw new IllegalArgumentException(
                    step.label() + ": count must be from 1 to " + ProductRecommendations.MAX_COUNT + ", got " + n);
        }
        return n;
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
