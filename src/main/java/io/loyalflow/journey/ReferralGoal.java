package io.loyalflow.journey;

import io.loyalflow.customer.ReferralMade;
import java.util.List;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.Variables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
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

  private final JdbcTemplate jdbc;
  private final RuntimeService runtime;

  ReferralGoal(JdbcTemplate jdbc, RuntimeService runtime) {
    this.jdbc = jdbc;
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
    List<String> journeys = jdbc.queryForList("select e.process_instance_id from campaign_enrollment e "
        + "join customer c on c.customer_key = e.customer_key where c.customer_id = ? and e.exited_at is null",
        String.class, referral.customerId());
    for (String instance : journeys) {
      runtime.createMessageCorrelation(REFERRAL_MADE).processInstanceId(instance)
          .setVariable("successfulReferrals", Variables.integerValue(referral.successfulReferrals()))
          .correlateAllWithResult();
    }
  }
}
