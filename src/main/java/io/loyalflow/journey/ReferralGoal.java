package io.loyalflow.journey;

import io.loyalflow.customer.ReferralMade;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * What a referral means to journeys: every running journey of the customer (entered by the time
 * the referral was recorded) that waits for {@code Msg_ReferralMade} receives it, by process
 * instance id (the customer's journeys come from their enrollments, never from a process-variable
 * query). A journey not waiting for it (it has not sent its message yet, or has no such wait) is
 * left as it is: a referral is a response only to a message the customer already received.
 *
 * <p>Durable and idempotent: the receipt {@code referral:<count>@<stated at>} per journey makes a
 * resubmitted event wake nobody twice.
 */
@Component
class ReferralGoal {

    static final String REFERRAL_MADE = "Msg_ReferralMade";
    static final String LISTENER_ID = "journey.referral-goal";

    private final JourneyFacts facts;
    private final RuntimeService runtime;

    ReferralGoal(JourneyFacts facts, RuntimeService runtime) {
        this.facts = facts;
        this.runtime = runtime;
    }

    @ApplicationModuleListener(id = LISTENER_ID)
    void onReferral(ReferralMade referral) {
        String fact = "referral:" + referral.successfulReferrals() + "@" + referral.statedAt();
        for (JourneyFacts.Journey journey : facts.running(referral.customerKey())) {
            if (journey.enteredBy(referral.recordedAt()) && facts.receive(journey.processInstanceId(), fact)) {
                runtime.createMessageCorrelation(REFERRAL_MADE)
                        .processInstanceId(journey.processInstanceId())
                        .setVariable(
                                JourneyVariables.SUCCESSFUL_REFERRALS.name(),
                                JourneyVariables.SUCCESSFUL_REFERRALS.value(referral.successfulReferrals()))
                        .correlateAllWithResult();
            }
        }
    }
}
