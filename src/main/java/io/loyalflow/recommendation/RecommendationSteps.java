package io.loyalflow.recommendation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * What a "Find product recommendations" step does: checks its inputs and writes the customer's
 * recommended products ({@link ProductRecommender}, seeded by one order when the step names one) as a
 * JSON array of {@code {"sku": ..., "category": ..., "price": ..., "reason": ...}}, best first. A send
 * step's template data hands it to SendGrid as an array when a value is exactly
 * {@code {{var.recommendations}}} (see MessageTokens), for the template's {@code {{#each}}}. Computed
 * once, at this step: a retried send shows the same products.
 */
@Service
class RecommendationSteps {

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The step's inputs as the model gave them (null when not set); the activity's name and id name it in refusals. */
    record Step(
            String activityName,
            String activityId,
            String customerId,
            String orderId,
            String resultVariable,
            String count) {

        String label() {
            return "Step '" + (activityName == null ? activityId : activityName) + "'";
        }
    }

    /**
     * The products as JSON, the name of the variable they go to, and the first product's sku ("" when none)
     * for a text that names one product (an SMS), written to the variable's name + {@code TopSku}.
     */
    record Recommendations(String variable, String json, String topSku) {

        String topSkuVariable() {
            return variable + TOP_SKU_SUFFIX;
        }

        /** The variables the step writes, by name: the products' JSON and the first product's sku. */
        java.util.Map<String, String> variables() {
            return java.util.Map.of(variable, json, topSkuVariable(), topSku);
        }
    }

    static final String TOP_SKU_SUFFIX = "TopSku";

    /** One product as the step writes it: what an e-mail template shows. */
    record Product(String sku, String category, java.math.BigDecimal price, String reason) {}

    private final ProductRecommender recommender;
    private final RecommendationProperties properties;

    RecommendationSteps(ProductRecommender recommender, RecommendationProperties properties) {
        this.recommender = recommender;
        this.properties = properties;
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
        int n = count == null ? properties.count() : count(step, count);
        String orderId = trimmed(step.orderId());
        List<Product> products = (orderId == null
                        ? recommender.forCustomer(customerId, n)
                        : recommender.afterOrder(customerId, orderId, n))
                .stream()
                        .map(p -> new Product(p.sku(), p.category(), p.price(), p.reason()))
                        .toList();
        try {
            return new Recommendations(
                    variable,
                    JSON.writeValueAsString(products),
                    products.isEmpty() ? "" : products.get(0).sku());
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
