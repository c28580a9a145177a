package io.loyalflow.customer;

import java.time.Instant;

/**
 * A referral statement was stored whose successful referrals exceed the ones on record (none on
 * record counts as 0): the customer referred someone since the program last reported. Not
 * published for a late (older) statement, nor for one that repeats or lowers the count. Published
 * in the storing transaction; durable through the event publication registry.
 *
 * @param customerKey the customer's internal key (a stored event names no one once they are erased)
 * @param statedAt when the program stated the new count
 * @param recordedAt when Loyalflow stored it
 */
public record ReferralMade(
        long customerKey,
        int previousSuccessfulReferrals,
        int successfulReferrals,
        Instant statedAt,
        Instant recordedAt) {}
