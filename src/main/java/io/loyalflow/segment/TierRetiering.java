package io.loyalflow.segment;

import io.loyalflow.order.OrderRecorded;
import io.loyalflow.platform.db.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-evaluates a customer's value tier the moment an order is recorded, so an upgrade is known (and
 * can be congratulated) within the request, not at the next nightly refresh. Writes what a refresh
 * would: the tier, a TIER_CHANGED event, and the move between tier segments.
 */
@Component
class TierRetiering {

  private final SegmentFeatures features;
  private final SegmentDecisions decisions;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TierRetiering.class);
  private final Timer timer;
  private final io.micrometer.core.instrument.Counter failures;
  private final Clock clock;

  TierRetiering(SegmentFeatures features, SegmentDecisions decisions, JdbcTemplate jdbc,
      TransactionTemplate transactions, MeterRegistry meters, Clock clock) {
    this.features = features;
    this.decisions = decisions;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.failures = meters.counter("loyalflow.segments.retiering.failures");
    this.timer = Timer.builder("loyalflow.segments.retiering").publishPercentiles(0.5, 0.95, 0.99).register(meters);
    this.clock = clock;
  }

  @EventListener
  @org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
  void onOrder(OrderRecorded order) {
    if (order.customerId() == null) {
      return;
    }
    try {
      timer.record(() -> retier(order.customerId(), "order:" + order.orderId()));
    } catch (RuntimeException e) {
      // the order is stored; its customer's tier is settled by the next refresh at the latest
      failures.increment();
      log.error("Re-tiering customer {} after order {} failed; the next segment refresh settles the tier",
          order.customerId(), order.orderId(), e);
    }
  }

  /** The customer's tier change, if the order changed it. */
  Optional<String> retier(String customerId, String cause) {
    Instant now = clock.instant();
    return transactions.execute(tx -> {
      Optional<CustomerFeatures> found = features.of(customerId, now);
      if (found.isEmpty()) {
        return Optional.<String>empty();
      }
      CustomerFeatures f = found.get();
      Map<String, Object> verdict = decisions.latest(SegmentDecisions.VALUE_TIER)
          .evaluate(SegmentDecisions.valueTierInputs(f));
      String tier = (String) verdict.get("tier");
      if (tier == null) {
        return Optional.<String>empty();
      }
      // the customer's row serialises two orders of the same customer arriving at once
      jdbc.queryForList("select customer_key from customer where customer_key = ? for update", f.customerKey());
      List<String> current = jdbc.queryForList("select tier from customer_tier where customer_key = ?", String.class,
          f.customerKey());
      String previous = current.isEmpty() ? null : current.get(0);
      if (tier.equals(previous)) {
        return Optional.<String>empty();
      }
      Object change = decisions.latest(SegmentDecisions.TIER_CHANGE)
          .evaluate(SegmentDecisions.tierChangeInputs(previous, tier)).get("change");
      var at = Timestamps.utc(now);
      Number rank = (Number) verdict.get("tierRank");
      if (previous == null) {
        jdbc.update("insert into customer_tier (customer_key, tier, tier_rank, since, evaluated_at) values (?, ?, ?, ?, ?)",
            f.customerKey(), tier, rank == null ? 0 : rank.intValue(), at, at);
      } else {
        jdbc.update("update customer_tier set tier = ?, tier_rank = ?, since = ?, evaluated_at = ? where customer_key = ?",
            tier, rank == null ? 0 : rank.intValue(), at, at, f.customerKey());
      }
      String event = "insert into segment_event (kind, segment_id, customer_key, from_tier, to_tier, tier_change, "
          + "occurred_at, cause) values (?, ?, ?, ?, ?, ?, ?, ?)";
      jdbc.update(event, "TIER_CHANGED", null, f.customerKey(), previous, tier, change == null ? null : change.toString(),
          at, cause);
      BuiltInSegment.ofTier(previous).ifPresent(old -> {
        if (jdbc.update("update segment_membership set left_at = ? where segment_id = ? and customer_key = ? "
            + "and left_at is null", at, old.id(), f.customerKey()) > 0) {
          jdbc.update(event, "SEGMENT_LEFT", old.id(), f.customerKey(), null, null, null, at, cause);
        }
      });
      BuiltInSegment.ofTier(tier).ifPresent(next -> {
        jdbc.update("insert into segment_membership (segment_id, customer_key, entered_at) values (?, ?, ?)",
            next.id(), f.customerKey(), at);
        jdbc.update(event, "SEGMENT_ENTERED", next.id(), f.customerKey(), null, null, null, at, cause);
      });
      return Optional.of(previous + " -> " + tier + " (" + change + ")");
    });
  }
}
