package io.loyalflow.audience;

import io.loyalflow.platform.engine.JourneyStartVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Sync to an ad audience" step ({@code ${syncAdAudience}}): adds the journey's customer to the ad audience
 * {@code adAudience}, or removes them ({@code adAudienceAction} REMOVE). The audience-sync process sends the change.
 */
@Component("syncAdAudience")
class SyncAdAudienceDelegate implements JavaDelegate {

    private final AdAudiences audiences;

    SyncAdAudienceDelegate(AdAudiences audiences) {
        this.audiences = audiences;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String audienceId = AudienceVariables.AD_AUDIENCE.from(execution).getOrNull();
        String action = AudienceVariables.AD_AUDIENCE_ACTION.from(execution).getOrNull();
        String customerId = JourneyStartVariables.CUSTOMER_ID.from(execution).getOrNull();
        audiences.fromJourney(
                audienceId, customerId, AudienceStepAction.parse(action).adds());
    }
}
