package io.loyalflow.journey;

import io.loyalflow.segment.SegmentEventsRecorded;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * The second link of the chain an order starts: re-tiering wrote segment events (a tier change,
 * the move between tier segments), and campaigns triggered by segment events enter those
 * customers now, not at the next campaign-entry cycle: exactly these events, in this listener's
 * transaction, so the journeys, their enrollments and the consumed events commit together.
 *
 * <p>Idempotent: every (campaign, segment event) is consumed once cluster-wide through its
 * {@code campaign_trigger} row, so a resubmitted event enters nobody twice; a run of the
 * campaign-entry process consuming the same events at the same moment takes the ones it claimed.
 */
@Component
class SegmentEventEntry {

    static final String LISTENER_ID = "journey.segment-event-entry";

    private final CampaignEntry entry;

    SegmentEventEntry(CampaignEntry entry) {
        this.entry = entry;
    }

    @ApplicationModuleListener(id = LISTENER_ID)
    void onSegmentEvents(SegmentEventsRecorded recorded) {
        entry.enterSegmentEvents(recorded.eventKeys());
    }
}
