package io.loyalflow.audience;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Hold: Meta flagged the audience". Fails while the audience is flagged, so the round stops with an incident whose
 * message says what happened and what to do; once an administrator resumed the audience, a retry ends the round.
 */
@Component("holdFlaggedAudience")
class HoldFlaggedAudienceDelegate implements JavaDelegate {

    private final AudienceSync sync;

    HoldFlaggedAudienceDelegate(AudienceSync sync) {
        this.sync = sync;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String audienceId = AudienceVariables.AUDIENCE_ID.from(execution).get();
        sync.stillFlagged(audienceId).ifPresent(message -> {
            throw new AudienceFlaggedException(message);
        });
    }
}
