package io.loyalflow.audience;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Replace the members at Meta" (one batch of the replace session) in the audience-sync process. */
@Component("replaceAudienceMembers")
class ReplaceAudienceMembersDelegate implements JavaDelegate {

    private final AudienceSync sync;

    ReplaceAudienceMembersDelegate(AudienceSync sync) {
        this.sync = sync;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String audienceId = AudienceVariables.AUDIENCE_ID.from(execution).get();
        AudienceSync.Progress progress = sync.replaceMembers(audienceId);
        if (progress.outcome() == AudienceSync.Outcome.FLAGGED) {
            throw new BpmnError(AudienceSyncProcess.ERROR_FLAGGED, "Meta flagged ad audience " + audienceId);
        }
        RoundCounts.add(execution, progress);
    }
}
