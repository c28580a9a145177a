package io.loyalflow.messaging;

/**
 * Another execution of the same step is sending right now (two nodes raced, or a job lock expired
 * while a send was under way). Failing this job is safe: the retry finds the outcome recorded.
 */
class SendInProgressException extends RuntimeException {

    public SendInProgressException(String deliveryId) {
        super("Delivery " + deliveryId + " is being sent by another execution of this step; not sending it twice. "
                + "A retry of this job picks up its recorded outcome.");
    }
}
