package io.loyalflow.customer;

import java.time.Instant;

/**
 * A customer's consent to be included in paid-ads audiences (such as Meta Custom Audiences) changed:
 * an ads statement applied. Not published for a statement repeating the status on record, nor for one
 * older than it. Published inside the transaction that changed the consent, so that a listener can act
 * atomically with it: the audience module listens synchronously and adds the customer to, or removes
 * them from, its audiences in the same commit.
 *
 * @param customerKey the customer's internal key
 * @param status the consent now on record
 * @param recordedAt when Loyalflow recorded the statement
 */
public record AdsConsentChanged(long customerKey, ConsentStatus status, Instant recordedAt) {}
