package io.loyalflow.journey;

import io.loyalflow.customer.ReferralMade;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.Variables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What a referral means to journeys: every running journey of the customer that waits for
 * {@code Msg_ReferralMade} receives it, by process instance id (the customer's journeys come from
 * their enrollments, never from a process-variable query). A journey not waiting for it (it has not
 * sent its message yet, or has no such wait) is left as it is: a referral is a response only to a
 * message the customer already received.
 */
@Component
class ReferralGoal {

  static final String REFERRAL_MADE = "Msg_ReferralMade";
  private static final Logger log = LoggerFactory.getLogger(ReferralGoal.class);

  private final Enrollments enrollments;
  private final RuntimeService runtime;

  ReferralGoal(Enrollments enrollments, RuntimeService runtime) {
    this.enrollments = enrollments;
    this.runtime = runtime;
  }

  @EventListener
  void onReferral(ReferralMade referral) {
    try {
      tellJourneys(referral);
    } catch (RuntimeException e) {
      // The statement is stored and answered; the journey's wait then ends by its timeout instead.
      log.error("Telling the journeys of customer {} about a referral failed", referral.customerId(), e);
    }
  }

  void tellJourneys(ReferralMade referral) {
    for (Enrollments.RunningJourney journey : enrollments.running(referral.customerId())) {
      runtime.createMessageCorrelation(REFERRAL_MADE).processInstanceId(journey.processInstanceId())
          .setVariable("successfulReferrals", Variables.integerValue(referral.successfulReferrals()))
          .correlateAllWithResult();
    }
  }
}
