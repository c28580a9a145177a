package io.loyalflow.messaging.provider;

import io.loyalflow.messaging.SuppressionReason;
import java.time.Duration;

/** What a provider call came to. Providers never throw for an answer they got; they classify it. */
public sealed interface SendResult {

    /** The provider took the message; {@code providerMessageId} identifies it in the provider's events. */
    record Accepted(String providerMessageId) implements SendResult {}

    /**
     * Nothing was sent, and trying again later may succeed (429, 500, 502, 503, connection refused or
     * connect timeout). {@code retryAfter} is the provider's hint, or null.
     */
    record Retryable(String reason, Duration retryAfter) implements SendResult {}

    /**
     * The provider refused this message for good (invalid address, opted-out recipient, bad request).
     * {@code suppress} names the suppression this refusal implies for the recipient's address, or null.
     */
    record Rejected(String reason, String errorCode, SuppressionReason suppress) implements SendResult {}

    /** The message may or may not have gone out (read timeout, 504): recorded as UNKNOWN, never resent. */
    record Unknown(String reason) implements SendResult {}
}
