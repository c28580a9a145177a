package io.loyalflow.segment;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The schedule of the segment-refresh process's timer start event ({@code ${segmentRefreshSchedule.cycle}}):
 * a Camunda timer cycle, a cron expression ({@code 0 0 2 * * ?}: every day at 02:00 server time) or
 * an ISO 8601 repetition ({@code R/PT6H}). Read when the process is deployed: after changing it,
 * redeploy the process (or restart with a changed file) for the timer to follow.
 */
@Component("segmentRefreshSchedule")
public class SegmentRefreshSchedule {

    private final String cycle;

    SegmentRefreshSchedule(@Value("${loyalflow.segments.refresh-cycle:0 30 2 * * ?}") String cycle) {
        this.cycle = cycle;
    }

    public String getCycle() {
        return cycle;
    }
}
