package io.loyalflow.campaign;

import java.time.Instant;

/**
 * A campaign as stored: its template (a BPMN process key), state and current settings revision.
 *
 * @param id the key journeys carry in their business key ({@code <id>:<customerId>})
 */
public record Campaign(
        String id,
        String name,
        String template,
        State state,
        int revision,
        CampaignSettings settings,
        Instant createdAt,
        Instant updatedAt,
        Instant activatedAt,
        Long eventsAfter,
        Instant lastRecurringAt) {

    public enum State {
        DRAFT,
        ACTIVE,
        PAUSED,
        ARCHIVED
    }
}
