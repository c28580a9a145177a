package io.loyalflow.recommendation;

import static io.loyalflow.platform.engine.ProcessVariable.longVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

import io.loyalflow.platform.engine.ProcessVariable;

/**
 * The variables of the recommendation steps ("Find product recommendations", "Time the cross-sell offer": their
 * element templates' fields and what they write) and of the recommendation-refresh process.
 */
public final class RecommendationVariables {

    /** Input: how many products, 1 to {@link ProductRecommendations#MAX_COUNT}; default: the configured count. */
    public static final ProcessVariable<String> COUNT = stringVariable("count");
    /** Input: the name of the variable the products go to (default {@link #RECOMMENDATIONS}). */
    public static final ProcessVariable<String> RESULT_VARIABLE = stringVariable("resultVariable");
    /**
     * Output: a JSON array of {@code {"sku": ..., "category": ..., "price": ..., "reason": ...}}, best first;
     * also the first sku ("" when none) in the variable of the same name + {@code TopSku}
     * ({@code recommendationsTopSku}), for an SMS that names one product.
     */
    public static final ProcessVariable<String> RECOMMENDATIONS = stringVariable("recommendations");

    /**
     * Input of both steps: the order that seeds the recommendations ("Find product recommendations",
     * optional) or whose categories time the offer ("Time the cross-sell offer"); default: the process
     * variable of that name, which the cross-sell campaign starts with.
     */
    public static final ProcessVariable<String> ORDER_ID = stringVariable("orderId");
    /** Input of "Time the cross-sell offer": the shortest wait, an ISO-8601 duration such as P1D. */
    public static final ProcessVariable<String> MIN_WAIT = stringVariable("minWait");
    /** Input of "Time the cross-sell offer": the longest wait, an ISO-8601 duration such as P60D. */
    public static final ProcessVariable<String> MAX_WAIT = stringVariable("maxWait");
    /** Input of "Time the cross-sell offer": the wait when the purchase data say nothing. */
    public static final ProcessVariable<String> DEFAULT_WAIT = stringVariable("defaultWait");
    /** Output of "Time the cross-sell offer": the wait, an ISO-8601 duration for a timer ({@code ${crossSellWait}}). */
    public static final ProcessVariable<String> CROSS_SELL_WAIT = stringVariable("crossSellWait");
    /** Output of "Time the cross-sell offer": {@code PURCHASE_DATA} (the median) or {@code DEFAULT}. */
    public static final ProcessVariable<String> CROSS_SELL_WAIT_SOURCE = stringVariable("crossSellWaitSource");

    // The recommendation-refresh process (Cockpit shows them; the gateway reads the outcome)
    /** REFRESHED, NO_ORDERS (none in the history window: the model in use stays) or ALREADY_RUNNING. */
    public static final ProcessVariable<String> REFRESH_OUTCOME = stringVariable("refreshOutcome");

    public static final ProcessVariable<Long> MODEL_VERSION = longVariable("modelVersion");
    public static final ProcessVariable<Long> ORDERS = longVariable("orders");
    public static final ProcessVariable<Long> PRODUCTS = longVariable("products");
    public static final ProcessVariable<Long> PAIRS = longVariable("pairs");
    public static final ProcessVariable<Long> DURATION_MILLIS = longVariable("durationMillis");

    private RecommendationVariables() {}
}
