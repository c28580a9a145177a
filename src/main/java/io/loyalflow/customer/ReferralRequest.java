package io.loyalflow.customer;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * Body of {@code PUT /api/customers/{customerId}/referral}: the referral program's statistics of one
 * customer, replacing the ones on record unless those were stated later.
 *
 * @param activity "Active" or "Dormant", any case; required
 * @param successfulReferrals friends who joined through the customer, 0 or more; required
 * @param shareUrl the customer's personal share link, an absolute http(s) URL; optional
 * @param extendedRevenue the customer's spend plus their referred friends' spend, in the shop currency,
 *     0 or more with at most 4 decimals; required
 * @param statedAt when the program computed these figures; default: when received
 */
public record ReferralRequest(
        String activity,
        Integer successfulReferrals,
        String shareUrl,
        BigDecimal extendedRevenue,
        OffsetDateTime statedAt) {}
