package io.loyalflow.audience;

import io.loyalflow.segment.SegmentEventLog;
import java.util.Objects;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;

/**
 * Starts audience-sync rounds: one for every active audience with something to send (pending members, a segment
 * that changed, a full replace asked for or under way) and no round running. A round waiting on an incident counts
 * as running, so a failing audience holds one incident, not one a minute. Each audience's row is locked while its
 * round is started, so two dispatches cannot both start one.
 */
@Service
class AudienceRounds {

    private final AdAudienceStore store;
    private final SegmentEventLog segmentLog;
    private final RuntimeService runtime;

    AudienceRounds(AdAudienceStore store, SegmentEventLog segmentLog, RuntimeService runtime) {
        this.store = store;
        this.segmentLog = segmentLog;
        this.runtime = runtime;
    }

    /** Starts the rounds that are due; returns how many. In the caller's transaction. */
    int startDue() {
        long lastSegmentEvent = segmentLog.lastEventKey();
        int started = 0;
        for (AdAudienceStore.Row candidate : store.all()) {
            if (!candidate.active() || !hasWork(candidate, lastSegmentEvent) || running(candidate.id())) {
                continue; // a running round may hold the audience's row lock until its batch commits
            }
            AdAudienceStore.Row audience = store.findForUpdate(candidate.id()).orElse(null);
            if (audience == null || !audience.active() || running(audience.id())) {
                continue;
            }
            boolean replace = audience.replaceRequestedAt() != null || audience.replacing();
            runtime.createProcessInstanceByKey(AudienceSyncProcess.KEY)
                    .businessKey(audience.id())
                    .setVariable(AudienceVariables.AUDIENCE_ID.name(), audience.id())
                    .setVariable(AudienceVariables.REPLACE_ALL.name(), replace)
                    .execute();
            started++;
        }
        return started;
    }

    private boolean hasWork(AdAudienceStore.Row audience, long lastSegmentEvent) {
        return audience.replaceRequestedAt() != null
                || audience.replacing()
                || (audience.segmentId() != null && !Objects.equals(audience.diffedEventKey(), lastSegmentEvent))
                || store.hasPending(audience.key());
    }

    /** Whether a round of the audience runs (or waits on an incident). */
    boolean running(String audienceId) {
        return runtime.createProcessInstanceQuery()
                        .processDefinitionKey(AudienceSyncProcess.KEY)
                        .processInstanceBusinessKey(audienceId)
                        .count()
                > 0;
    }
}
