package io.loyalflow.messaging.provider;

/**
 * One SMS to send.
 *
 * @param deliveryId Loyalflow's own message id
 * @param to the recipient's number in E.164
 * @param body the rendered text
 * @param statusCallbackUrl where the provider reports delivery status (carries the delivery id), or null
 */
public record SmsMessage(String deliveryId, String to, String body, String statusCallbackUrl) {}
