package io.loyalflow.segment;

import io.loyalflow.platform.problem.Refusal;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The segment-refresh process's refresh of the built-in segments. A refresh already running elsewhere
 * is an outcome ({@code ALREADY_RUNNING}), not a failure: the next scheduled run refreshes again.
 */
@Service
class ScheduledSegmentRefresh {

    static final String REFRESHED = "REFRESHED";
    static final String ALREADY_RUNNING = "ALREADY_RUNNING";

    /** REFRESHED with the refresh's summary, or ALREADY_RUNNING without. */
    record Outcome(String outcome, SegmentRefresh.Summary summary) {

        Optional<String> refreshId() {
            return Optional.ofNullable(summary).map(SegmentRefresh.Summary::refreshId);
        }

        Optional<Long> customers() {
            return Optional.ofNullable(summary).map(SegmentRefresh.Summary::customers);
        }

        /** Memberships entered over all segments. */
        Optional<Integer> entered() {
            return Optional.ofNullable(summary).map(s -> total(s.entered()));
        }

        Optional<Integer> left() {
            return Optional.ofNullable(summary).map(s -> total(s.left()));
        }

        Optional<Integer> tierChanges() {
            return Optional.ofNullable(summary).map(SegmentRefresh.Summary::tierChanges);
        }

        Optional<Long> durationMillis() {
            return Optional.ofNullable(summary).map(SegmentRefresh.Summary::durationMillis);
        }

        private static int total(Map<String, Integer> bySegment) {
            return bySegment.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final SegmentRefresh refresh;

    ScheduledSegmentRefresh(SegmentRefresh refresh) {
        this.refresh = refresh;
    }

    Outcome refresh() {
        try {
            return new Outcome(REFRESHED, refresh.refreshBuiltIn());
        } catch (Refusal e) {
            if (e.kind() != Refusal.Kind.CONFLICT) {
                throw e;
            }
            return new Outcome(ALREADY_RUNNING, null);
        }
    }
}
