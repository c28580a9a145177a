package io.loyalflow.order;

/**
 * Published after an order from the API was stored for the first time (not for a repeat of the same
 * order, and not for bulk imports, whose customers the next segment refresh re-evaluates).
 */
public record OrderRecorded(String orderId, String customerId) {
}
