package io.loyalflow.messaging.webhook;

import static io.loyalflow.platform.db.Timestamps.utc;

import io.loyalflow.messaging.EngagementCorrelator.Engagement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the events of one batch add up to, written when the batch is done: the delivery events to insert
 * and the journeys to wake.
 */
final class AppliedBatch {

    final Instant now;
    final List<Object[]> deliveryEvents = new ArrayList<>();
    final List<Engagement> engagements = new ArrayList<>();

    AppliedBatch(Instant now) {
        this.now = now;
    }

    /** Records an event of a delivery; a message wakes the delivery's journey (never a test send's). */
    void record(DeliveryRow delivery, String kind, String detail, Instant occurred, String message) {
        boolean wakes = message != null && delivery.processInstanceId != null && !delivery.test;
        deliveryEvents.add(new Object[] {
            delivery.id,
            kind,
            detail == null ? null : truncate(detail, 500),
            utc(occurred),
            utc(now),
            wakes ? message : null,
            wakes ? delivery.processInstanceId : null
        });
        if (wakes) {
            engagements.add(new Engagement(delivery.id, delivery.processInstanceId, message));
        }
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
