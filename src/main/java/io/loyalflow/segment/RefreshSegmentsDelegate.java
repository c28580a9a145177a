package io.loyalflow.segment;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Refresh the built-in segments" in the segment-refresh process: a summary goes to variables Cockpit shows. */
@Component("refreshSegments")
class RefreshSegmentsDelegate implements JavaDelegate {

    private final ScheduledSegmentRefresh refresh;

    RefreshSegmentsDelegate(ScheduledSegmentRefresh refresh) {
        this.refresh = refresh;
    }

    @Override
    public void execute(DelegateExecution execution) {
        ScheduledSegmentRefresh.Outcome outcome = refresh.refresh();
        SegmentVariables.REFRESH_OUTCOME.on(execution).set(outcome.outcome());
        outcome.refreshId().ifPresent(SegmentVariables.REFRESH_ID.on(execution)::set);
        outcome.customers().ifPresent(SegmentVariables.CUSTOMERS.on(execution)::set);
        outcome.entered().ifPresent(SegmentVariables.ENTERED.on(execution)::set);
        outcome.left().ifPresent(SegmentVariables.LEFT.on(execution)::set);
        outcome.tierChanges().ifPresent(SegmentVariables.TIER_CHANGES.on(execution)::set);
        outcome.durationMillis().ifPresent(SegmentVariables.DURATION_MILLIS.on(execution)::set);
    }
}
