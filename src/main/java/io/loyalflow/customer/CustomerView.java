package io.loyalflow.customer;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** A customer as the API shows it: profile, consents, purchase features and referral statistics (null when none). */
record CustomerView(
        String customerId,
        String email,
        String phone,
        String firstName,
        String lastName,
        String locale,
        String timeZone,
        String effectiveTimeZone,
        JsonNode attributes,
        Map<String, ConsentView> consents,
        CustomerOrigin origin,
        long version,
        Instant createdAt,
        Instant updatedAt,
        PurchaseFeatures features,
        ValuePrediction valuePrediction,
        ReferralView referral) {

    public record ConsentView(ConsentStatus status, String source, Instant statedAt, Instant recordedAt) {}

    /**
     * The referral program's latest statistics of the customer.
     *
     * @param extendedRevenue in the shop currency, without trailing zeros
     * @param statedAt when the program stated them
     * @param updatedAt when Loyalflow recorded them
     */
    public record ReferralView(
            ReferralActivity activity,
            int successfulReferrals,
            String shareUrl,
            BigDecimal extendedRevenue,
            Instant statedAt,
            Instant updatedAt) {}
}
