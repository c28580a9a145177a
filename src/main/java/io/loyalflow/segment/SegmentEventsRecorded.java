package io.loyalflow.segment;

import java.util.List;

/**
 * Segment events (TIER_CHANGED, SEGMENT_ENTERED, SEGMENT_LEFT) that re-tiering on recorded orders
 * wrote, published in the transaction that wrote them: campaigns triggered by segment events can
 * enter those customers now rather than at the next campaign-entry cycle. Durable through the event
 * publication registry.
 *
 * @param eventKeys the {@code segment_event} keys, in the order written
 */
public record SegmentEventsRecorded(List<Long> eventKeys) {

    public SegmentEventsRecorded {
        eventKeys = List.copyOf(eventKeys);
    }
}
