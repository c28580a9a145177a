package io.loyalflow.customer;

import java.time.Instant;

/**
 * A profile was created: another service sent a customer Loyalflow did not know
 * ({@code PUT /api/customers/{id}} answering 201). Published in the creating transaction, durable through
 * the event publication registry. Not published for the bare customers orders, referral statistics or
 * the demo create, nor when a later profile completes such a bare customer.
 *
 * @param customerKey the customer's internal key (a stored event names no one once they are erased)
 * @param registeredAt when Loyalflow stored the profile
 */
public record CustomerRegistered(long customerKey, Instant registeredAt) {}
