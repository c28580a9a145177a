package io.loyalflow.customer;

import java.time.Instant;

/**
 * Published inside the erasing transaction, so every feature holding personal data of this
 * customer can erase its part atomically with the profile (synchronous listeners), and journeys
 * end theirs after the commit (a durable listener). Carries only the internal key: the stored
 * event names no one.
 */
public record CustomerErased(long customerKey, Instant erasedAt) {}
