package io.loyalflow.messaging;

import io.loyalflow.messaging.provider.SendResult;

/**
 * The provider did not take the message but may later (429, 5xx, unreachable). Thrown out of the
 * send task so the job is retried along its retry cycle and ends as a Cockpit incident after the last try.
 */
class RetryableSendException extends RuntimeException {

    public RetryableSendException(String deliveryId, String provider, SendResult.Retryable result) {
        super(provider + " did not take delivery " + deliveryId + ": " + result.reason()
                + (result.retryAfter() == null ? "" : " (provider asks to wait " + result.retryAfter() + ")")
                + "; nothing was sent, the job will try again");
    }
}
