package io.loyalflow.segment;

import static io.loyalflow.platform.engine.ProcessVariable.booleanVariable;
import static io.loyalflow.platform.engine.ProcessVariable.doubleVariable;
import static io.loyalflow.platform.engine.ProcessVariable.integerVariable;
import static io.loyalflow.platform.engine.ProcessVariable.longVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

import io.loyalflow.platform.engine.ProcessVariable;

/**
 * The variables of the segment module: what the segment-refresh process's refresh step writes (Cockpit
 * shows them; the gateway reads the outcome), and the inputs of the segment decisions (DMN), which the
 * refresh and the re-tiering give them and a tier-change journey's decision reads as process variables.
 */
public final class SegmentVariables {

    // The segment-refresh process

    /** REFRESHED, or ALREADY_RUNNING (a refresh under way elsewhere). */
    public static final ProcessVariable<String> REFRESH_OUTCOME = stringVariable("refreshOutcome");

    public static final ProcessVariable<String> REFRESH_ID = stringVariable("refreshId");
    public static final ProcessVariable<Long> CUSTOMERS = longVariable("customers");
    /** Memberships entered and left, over all built-in segments. */
    public static final ProcessVariable<Integer> ENTERED = integerVariable("entered");

    public static final ProcessVariable<Integer> LEFT = integerVariable("left");
    public static final ProcessVariable<Integer> TIER_CHANGES = integerVariable("tierChanges");
    public static final ProcessVariable<Long> DURATION_MILLIS = longVariable("durationMillis");

    // Decision inputs
    /** value-tier. */
    public static final ProcessVariable<Double> SPEND_12_MONTHS = doubleVariable("spend12Months");

    public static final ProcessVariable<Integer> ORDERS_12_MONTHS = integerVariable("orders12Months");
    /** tier-change: the tier before and after (null before the first); on a tier-change journey too. */
    public static final ProcessVariable<String> PREVIOUS_TIER = stringVariable("previousTier");

    public static final ProcessVariable<String> NEW_TIER = stringVariable("newTier");
    /** win-back-window and defecting-buyer. */
    public static final ProcessVariable<Integer> DAYS_SINCE_LAST_ORDER = integerVariable("daysSinceLastOrder");
    /** best-customer and best-customer-predictive. */
    public static final ProcessVariable<Boolean> HAS_RECENT_ORDER = booleanVariable("hasRecentOrder");

    public static final ProcessVariable<Double> SPEND_PERCENTILE = doubleVariable("spendPercentile");
    /** best-customer-predictive. */
    public static final ProcessVariable<Boolean> MODEL_FITTED = booleanVariable("modelFitted");

    public static final ProcessVariable<Double> PREDICTED_VALUE_PERCENTILE = doubleVariable("predictedValuePercentile");
    /** churn-risk (with daysSinceLastOrder): the customer-value model's P(alive), null without a prediction. */
    public static final ProcessVariable<Double> PROBABILITY_ALIVE = doubleVariable("probabilityAlive");
    /** churn-risk: the median of the days between the customer's purchase days, null below two purchase days. */
    public static final ProcessVariable<Double> MEDIAN_INTERPURCHASE_DAYS = doubleVariable("medianInterpurchaseDays");

    private SegmentVariables() {}
}
