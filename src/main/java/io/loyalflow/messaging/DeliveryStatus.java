package io.loyalflow.messaging;

import java.util.Set;

/**
 * Where a delivery stands. The first group is the outbox's own; the rest come from the provider's
 * events, each with a rank so an event arriving late never moves a delivery backwards.
 */
public enum DeliveryStatus {
  /** The gate said no (consent, suppression, cap): nothing was sent. */
  SKIPPED(0),
  /** The gate said "not now" (quiet hours, cap with DEFER): the journey waits and tries again. */
  DEFERRED(0),
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

  /** What a send task reports to its process for a delivery in this status. */
  public SendOutcome outcome() {
    return switch (this) {
      case SKIPPED -> SendOutcome.SKIPPED;
      case DEFERRED -> SendOutcome.DEFERRED;
      case FAILED -> SendOutcome.FAILED;
      case UNKNOWN, SENDING -> SendOutcome.UNKNOWN;
      case RETRYABLE -> throw new IllegalStateException("a retryable delivery has no outcome yet");
      default -> SendOutcome.SENT;
    };
  }
}
