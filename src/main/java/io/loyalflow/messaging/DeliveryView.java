package io.loyalflow.messaging;

import java.time.Instant;
import java.util.List;

/**
 * One message as the deliveries API shows it: what the gate decided, what the provider said, what the customer did.
 * {@code step} is the journey's step key: the task id, the instance of a multi-instance task or subprocess
 * in brackets ({@code Task_SendSeriesEmail[1]}: e-mail 2 of a series) and the visit ({@code #1}).
 */
public record DeliveryView(
        String deliveryId,
        String channel,
        String campaign,
        String customerId,
        String processInstanceId,
        String businessKey,
        String activityId,
        String step,
        String address,
        String templateId,
        String content,
        boolean test,
        String gateDecision,
        String gateDetail,
        String status,
        String provider,
        String providerMessageId,
        int attempts,
        String error,
        Instant retryAt,
        Instant createdAt,
        Instant sentAt,
        Engagement engagement,
        List<Event> history) {

    public record Engagement(int opens, int machineOpens, Instant firstOpenedAt, int clicks, Instant firstClickedAt) {}

    /** A provider status or engagement event, and whether it woke the journey. */
    public record Event(
            String kind,
            String detail,
            Instant occurredAt,
            Instant recordedAt,
            String message,
            String correlation,
            Instant correlatedAt) {}

    public record Page(List<DeliveryView> items, Long nextAfter) {}
}
