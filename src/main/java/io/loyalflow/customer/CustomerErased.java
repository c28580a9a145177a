package io.loyalflow.customer;

import java.time.Instant;

/**
 * Published inside the erasing transaction, so every feature holding personal data of this
 * customer can erase its part atomically with the profile.
 */
public record CustomerErased(long customerKey, String customerId, Instant erasedAt) {
}
