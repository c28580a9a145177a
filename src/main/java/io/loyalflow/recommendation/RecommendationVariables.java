package io.loyalflow.recommendation;

import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

import io.loyalflow.platform.engine.ProcessVariable;

/** The "Find product recommendations" step's inputs (its element template's fields) and the variable it writes. */
public final class RecommendationVariables {

    /** Input: how many products, 1 to {@link ProductRecommendations#MAX_COUNT}; default: the configured count. */
    public static final ProcessVariable<String> COUNT = stringVariable("count");
    /** Input: the name of the variable the products go to (default {@link #RECOMMENDATIONS}). */
    public static final ProcessVariable<String> RESULT_VARIABLE = stringVariable("resultVariable");
    /** Output: a JSON array of {@code {"sku": ..., "category": ...}}, best first. */
    public static final ProcessVariable<String> RECOMMENDATIONS = stringVariable("recommendations");

    private RecommendationVariables() {}
}
