package io.loyalflow.customer;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** A validated referral statement, normalised as it is stored ({@code extendedRevenue} at scale 4). */
record Referral(
        ReferralActivity activity,
        int successfulReferrals,
        String shareUrl,
        BigDecimal extendedRevenue,
        Instant statedAt) {

    /** The same figures and date as the ones on record: stating them again changes nothing. */
    boolean sameAs(CustomerView.ReferralView stored) {
        return activity == stored.activity()
                && successfulReferrals == stored.successfulReferrals()
                && Objects.equals(shareUrl, stored.shareUrl())
                && extendedRevenue.compareTo(stored.extendedRevenue()) == 0
                && statedAt.equals(stored.statedAt());
    }
}
