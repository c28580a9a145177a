package io.loyalflow.segment;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The segments every shop has, decided by the DMN tables in dmn/ at each refresh. */
enum BuiltInSegment {
    TIER_BRONZE("tier-bronze", "Bronze tier", "value-tier decides Bronze"),
    TIER_SILVER("tier-silver", "Silver tier", "value-tier decides Silver"),
    TIER_GOLD("tier-gold", "Gold tier", "value-tier decides Gold"),
    TIER_PLATINUM("tier-platinum", "Platinum tier", "value-tier decides Platinum"),
    WIN_BACK("win-back", "Win-back window", "win-back-window: the last order was 45 to 90 days ago"),
    DEFECTING_BUYERS("defecting-buyers", "Defecting buyers", "defecting-buyer: the last order was 90 to 365 days ago"),
    BEST_CUSTOMERS(
            "best-customers",
            "Best customers (standard)",
            "best-customer: top 25 % by total spend among recent buyers"),
    BEST_CUSTOMERS_PREDICTIVE(
            "best-customers-predictive",
            "Best customers (predictive)",
            "best-customer-predictive: top 25 % by the predicted value of the next 12 months (the standard rule until a "
                    + "customer-value model is fitted)"),
    CHURN_RISK(
            "churn-risk",
            "Churn risk",
            "churn-risk: the customer-value model's P(alive) under 0.3, or the last order more than twice the "
                    + "customer's median interval between purchases ago (customers with one purchase day only by P(alive))");

    private final String id;
    private final String title;
    private final String rule;

    BuiltInSegment(String id, String title, String rule) {
        this.id = id;
        this.title = title;
        this.rule = rule;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String rule() {
        return rule;
    }

    static Optional<BuiltInSegment> byId(String id) {
        return Arrays.stream(values()).filter(segment -> segment.id.equals(id)).findFirst();
    }

    /** The tier segment of a tier name the value-tier table answers (Bronze, Silver, ...). */
    static Optional<BuiltInSegment> ofTier(String tier) {
        return tier == null ? Optional.empty() : byId("tier-" + tier.toLowerCase(Locale.ROOT));
    }
}
