package io.loyalflow.messaging;

/** What a send step tells its journey (process variable {@code deliveryOutcome}). */
public enum SendOutcome {
  /** The provider accepted the message (or the log provider recorded it). */
  SENT,
  /** It may have gone out; Loyalflow does not know and will not resend. */
  UNKNOWN,
  /** The send gate refused it (consent, suppression, cap): the journey goes on without it. */
  SKIPPED,
  /** Not now: quiet hours or a cap set to defer; wait until {@code deliveryRetryAt} and try again. */
  DEFERRED,
  /** The provider refused it for good (invalid address, opted out at the provider). */
  FAILED
}
