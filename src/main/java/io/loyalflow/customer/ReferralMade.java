package io.loyalflow.customer;

/**
 * Published after a referral statement was stored whose successful referrals exceed the ones on record
 * (none on record counts as 0): the customer referred someone since the program last reported. Not
 * published for a late (older) statement, nor for one that repeats or lowers the count.
 */
public record ReferralMade(String customerId, int previousSuccessfulReferrals, int successfulReferrals) {
}
