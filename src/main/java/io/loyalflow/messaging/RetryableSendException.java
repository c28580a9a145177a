package io.loyalflow.messaging;

import io.loyalflow.messaging.provider.SendResult;
import java.time.Duration;

/**
 * The provider did not take the message but may later (429, 5xx, unreachable). Thrown out of the
 * send task so the job is retried along its retry cycle and ends as a Cockpit incident after the last try.
 * When the provider said how long to wait (Retry-After), the next try is no earlier than that
 * ({@link ProviderRetryAfter}).
 */
class RetryableSendException extends RuntimeException {

    private final transient Duration retryAfter;

    public RetryableSendException(String deliveryId, String provider, SendResult.Retryable result) {
        super(provider + " did not take delivery " + deliveryId + ": " + result.reason()
                + (result.retryAfter() == null ? "" : " (provider asks to wait " + result.retryAfter() + ")")
                + "; nothing was sent, the job will try again");
        this.retryAfter = result.retryAfter();
    }

    /** How long the provider asked to wait before the next try, or null. */
    Duration retryAfter() {
        return retryAfter;
    }
}
