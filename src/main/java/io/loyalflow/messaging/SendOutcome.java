package io.loyalflow.messaging;

/**
 * What a send step tells its journey (process variable {@code deliveryOutcome}): SENT, UNKNOWN, SKIPPED
 * or FAILED. DEFERRED is the outbox's answer to the step itself, never written to the variable.
 */
enum SendOutcome {
    /** The provider accepted the message (or the log provider recorded it). */
    SENT,
    /** It may have gone out; Loyalflow does not know and will not resend. */
    UNKNOWN,
    /** The send gate refused it (consent, suppression, cap): the journey goes on without it. */
    SKIPPED,
    /**
     * Not now (outside the sending window, or the cap with DEFER): the send step does not complete, it
     * waits at the task until {@code deliveryRetryAt} and then tries the same delivery again. A gateway
     * after the task never sees this value.
     */
    DEFERRED,
    /** The provider refused it for good (invalid address, opted out at the provider). */
    FAILED
}
