package io.loyalflow.platform.engine;

import static io.loyalflow.platform.engine.ProcessVariable.integerVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

/**
 * The variables every journey starts with (set by the journey module when it enrolls a customer), read
 * by the steps of every module: declared here, below all of them, so that reading them adds no module
 * dependency.
 */
public final class JourneyStartVariables {

    /** The customer the journey is for; the default customer of every step. */
    public static final ProcessVariable<String> CUSTOMER_ID = stringVariable("customerId");
    /** The campaign the journey belongs to. */
    public static final ProcessVariable<String> CAMPAIGN_KEY = stringVariable("campaignKey");
    /** The campaign's settings revision the journey entered with; its steps read those settings. */
    public static final ProcessVariable<Integer> CAMPAIGN_REVISION = integerVariable("campaignRevision");

    private JourneyStartVariables() {}
}
