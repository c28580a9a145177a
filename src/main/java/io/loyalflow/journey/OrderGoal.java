package io.loyalflow.journey;

import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.order.OrderRecorded;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.Variables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * What an order means to journeys: every running journey of the customer receives
 * {@code Msg_OrderPlaced} (by process instance id); a journey not waiting for it whose campaign's
 * exit goal is an order ends there, as CONVERTED. Then campaigns triggered by segment events enter
 * the customer if the order changed a tier (re-tiering runs first).
 */
@Component
class OrderGoal {

  static final String ORDER_PLACED = "Msg_OrderPlaced";
  private static final Logger log = LoggerFactory.getLogger(OrderGoal.class);

  private final Enrollments enrollments;
  private final RuntimeService runtime;
  private final Campaigns campaigns;
  private final CampaignEntry entry;

  OrderGoal(Enrollments enrollments, RuntimeService runtime, Campaigns campaigns, CampaignEntry entry) {
    this.enrollments = enrollments;
    this.runtime = runtime;
    this.campaigns = campaigns;
    this.entry = entry;
  }

  @EventListener
  @Order(Ordered.LOWEST_PRECEDENCE)
  void onOrder(OrderRecorded order) {
    if (order.customerId() == null) {
      return;
    }
    try {
      reachGoals(order);
    } catch (RuntimeException e) {
      log.error("Telling the journeys of customer {} about order {} failed", order.customerId(), order.orderId(), e);
    }
    try {
      entry.runEventTriggered();
    } catch (RuntimeException e) {
      log.error("Entering campaigns after order {} failed; the next campaign-entry run enters them", order.orderId(), e);
    }
  }

  void reachGoals(OrderRecorded order) {
    for (Enrollments.RunningJourney journey : enrollments.running(order.customerId())) {
      String instance = journey.processInstanceId();
      boolean woke = !runtime.createMessageCorrelation(ORDER_PLACED).processInstanceId(instance)
          .setVariable("orderId", Variables.stringValue(order.orderId())).correlateAllWithResult().isEmpty();
      if (!woke && campaigns.find(journey.campaignKey())
          .map(c -> c.settings().exitGoal() == CampaignSettings.ExitGoal.ORDER).orElse(false)
          && runtime.createProcessInstanceQuery().processInstanceId(instance).count() == 1) {
        runtime.setVariable(instance, JourneyExits.JOURNEY_OUTCOME, Variables.stringValue("CONVERTED"));
        runtime.deleteProcessInstance(instance, "exit goal reached: order " + order.orderId());
      }
    }
  }
}
