package io.loyalflow.messaging;

import java.util.Set;

/**
 * Where a delivery stands. The first group is the outbox's own; the rest come from the provider's
 * events, each with a rank so an event arriving late never moves a delivery backwards.
 */
public enum DeliveryStatus {
    /** The gate said no (consent, suppression, cap): nothing was sent. */
    SKIPPED(0),
    /**
     * The gate said "not now" (outside the channel's sending window, or the cap with DEFER): the journey
     * waits at the send step until {@code retry_at}, then the same delivery is tried again.
     */
    DEFERRED(0),
    /**
     * It was deferred, and the journey ended or moved on before it could go: nothing was sent. A journey
     * that comes back to the same step takes it up again (the step's visit never completed).
     */
    CANCELLED(0),
    /** Claimed and handed to the provider; the answer is not recorded yet. */
    SENDING(1),
    /** The provider answered 429/5xx or could not be reached: nothing was sent, the job retries. */
    RETRYABLE(0),
    /** The provider refused the message for good. */
    FAILED(0),
    /** The provider call ended without a clear answer: it may have been sent; it is never resent. */
    UNKNOWN(1),
    /** The {@code log} provider recorded the rendered message instead of sending it. */
    LOGGED(2),
    /** The provider accepted the message. */
    SENT(2),
    /** SendGrid processed it / Twilio queued or sent it. */
    PROCESSED(3),
    /** The provider is still trying (SendGrid deferred). */
    DELAYED(4),
    DELIVERED(5),
    /** SendGrid dropped it without trying (suppressed or invalid at SendGrid). */
    DROPPED(6),
    BOUNCED(6),
    /** Twilio: undelivered or failed after acceptance. */
    UNDELIVERED(6);

    private final int rank;

    DeliveryStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    /** Statuses of messages that left Loyalflow (or may have): a provider event can move them on. */
    public static final Set<DeliveryStatus> AFTER_SEND =
            Set.of(UNKNOWN, LOGGED, SENT, PROCESSED, DELAYED, DELIVERED, DROPPED, BOUNCED, UNDELIVERED);

    /** Statuses of messages that were never handed to a provider and never will be (or not yet: DEFERRED). */
    public static final Set<DeliveryStatus> NOT_SENT = Set.of(SKIPPED, DEFERRED, CANCELLED);

    /** What a send step makes of a delivery in this status (DEFERRED: it waits; it never reaches a gateway). */
    public SendOutcome outcome() {
        return switch (this) {
            case SKIPPED, CANCELLED -> SendOutcome.SKIPPED;
            case DEFERRED -> SendOutcome.DEFERRED;
            case FAILED -> SendOutcome.FAILED;
            case UNKNOWN, SENDING -> SendOutcome.UNKNOWN;
            case RETRYABLE -> throw new IllegalStateException("a retryable delivery has no outcome yet");
            default -> SendOutcome.SENT;
        };
    }
}
