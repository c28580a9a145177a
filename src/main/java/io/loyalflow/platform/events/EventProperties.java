package io.loyalflow.platform.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How incomplete event publications (facts a listener has not handled yet: it failed, or its node
 * stopped) are resubmitted.
 *
 * @param resubmissionInterval how often each node looks for incomplete publications
 * @param resubmitAfter a publication younger than this is left alone by the scheduled look: it is
 *     most likely still queued or running on the node that published it
 * @param resubmissionBatch at most this many publications (the oldest) are resubmitted per look, at
 *     start and on the schedule, so a large backlog is worked through in bounded steps
 */
@ConfigurationProperties("loyalflow.events")
record EventProperties(Duration resubmissionInterval, Duration resubmitAfter, Integer resubmissionBatch) {

    public EventProperties {
        resubmissionInterval = resubmissionInterval == null ? Duration.ofMinutes(1) : resubmissionInterval;
        resubmitAfter = resubmitAfter == null ? Duration.ofMinutes(2) : resubmitAfter;
        resubmissionBatch = resubmissionBatch == null ? 500 : resubmissionBatch;
    }
}
