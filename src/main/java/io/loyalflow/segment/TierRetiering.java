package io.loyalflow.segment;

import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.order.OrdersRecorded;
import io.loyalflow.platform.db.Timestamps;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-evaluates the value tier of the customers of recorded orders (from the API or an import), so
 * an upgrade is known, and can be congratulated, within moments rather than at the next nightly
 * refresh. Writes what a refresh would: the tier, a TIER_CHANGED event (cause {@code order:<id>},
 * the customer's latest order of the batch), and the move between tier segments; then publishes
 * the segment events it wrote as one {@link SegmentEventsRecorded}, in the same transaction, for
 * campaign entry.
 *
 * <p>Idempotent: the tier is recomputed from the stored orders, so a resubmitted or doubled event
 * finds the tier already written and writes (and publishes) nothing; the customer's row lock
 * serialises two deliveries of the same customer. Customers are locked in key order, so two
 * batches never deadlock. A failure leaves the publication incomplete; it is resubmitted.
 */
@Component
class TierRetiering {

    static final String LISTENER_ID = "segment.tier-retiering";
    private static final Logger log = LoggerFactory.getLogger(TierRetiering.class);

    private final SegmentFeatures features;
    private final SegmentDecisions decisions;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final CustomerQueries customers;
    private final Timer timer;
    private final Counter failures;
    private final Clock clock;

    TierRetiering(
            SegmentFeatures features,
            SegmentDecisions decisions,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            ApplicationEventPublisher events,
            CustomerQueries customers,
            MeterRegistry meters,
            Clock clock) {
        this.customers = customers;
        this.features = features;
        this.decisions = decisions;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.failures = Counter.builder("loyalflow.segments.retiering.failures")
                .description("Re-tierings on recorded orders that failed; their event is resubmitted")
                .register(meters);
        this.timer = Timer.builder("loyalflow.segments.retiering")
                .description("Re-tiering the customers of one batch of recorded orders")
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(meters);
        this.clock = clock;
    }

    @ApplicationModuleListener(id = LISTENER_ID)
    void onOrders(OrdersRecorded recorded) {
        try {
            timer.record(() -> retier(recorded));
        } catch (RuntimeException e) {
            failures.increment();
            log.warn(
                    "Re-tiering the customers of {} recorded orders failed; the event is resubmitted",
                    recorded.orders().size(),
                    e);
            throw e;
        }
    }

    private void retier(OrdersRecorded recorded) {
        // per customer, the latest order of the batch names the cause
        Map<Long, OrdersRecorded.Order> latest = new TreeMap<>();
        for (OrdersRecorded.Order order : recorded.orders()) {
            latest.merge(order.customerKey(), order, (a, b) -> b.placedAt().isBefore(a.placedAt()) ? a : b);
        }
        // one version of each table for the whole batch: its answers are remembered across customers
        SegmentDecisions.Decision valueTier = decisions.latest(SegmentDecisions.VALUE_TIER);
        SegmentDecisions.Decision tierChange = decisions.latest(SegmentDecisions.TIER_CHANGE);
        List<Long> written = new ArrayList<>();
        latest.forEach((customerKey, order) ->
                written.addAll(retier(customerKey, "order:" + order.orderId(), valueTier, tierChange)));
        if (!written.isEmpty()) {
            events.publishEvent(new SegmentEventsRecorded(written));
        }
    }

    /** The keys of the segment events written for the customer: none when the tier stands. */
    List<Long> retier(long customerKey, String cause) {
        return retier(
                customerKey,
                cause,
                decisions.latest(SegmentDecisions.VALUE_TIER),
                decisions.latest(SegmentDecisions.TIER_CHANGE));
    }

    private List<Long> retier(
            long customerKey, String cause, SegmentDecisions.Decision valueTier, SegmentDecisions.Decision tierChange) {
        Instant now = clock.instant();
        return transactions.execute(tx -> {
            var found = features.of(customerKey, now);
            if (found.isEmpty()) {
                return List.<Long>of();
            }
            CustomerFeatures f = found.get();
            Map<String, Object> verdict = valueTier.evaluate(SegmentDecisions.valueTierInputs(f));
            String tier = (String) verdict.get("tier");
            if (tier == null) {
                return List.<Long>of();
            }
            // the customer's row serialises two orders of the same customer arriving at once
            customers.lockByKey(f.customerKey());
            List<String> current = jdbc.queryForList(
                    "select tier from customer_tier where customer_key = ?", String.class, f.customerKey());
            String previous = current.isEmpty() ? null : current.get(0);
            if (tier.equals(previous)) {
                return List.<Long>of();
            }
            Object change = tierChange
                    .evaluate(SegmentDecisions.tierChangeInputs(previous, tier))
                    .get("change");
            var at = Timestamps.utc(now);
            Number rank = (Number) verdict.get("tierRank");
            if (previous == null) {
                jdbc.update(
                        "insert into customer_tier (customer_key, tier, tier_rank, since, evaluated_at) values (?, ?, ?, ?, ?)",
                        f.customerKey(),
                        tier,
                        rank == null ? 0 : rank.intValue(),
                        at,
                        at);
            } else {
                jdbc.update(
                        "update customer_tier set tier = ?, tier_rank = ?, since = ?, evaluated_at = ? where customer_key = ?",
                        tier,
                        rank == null ? 0 : rank.intValue(),
                        at,
                        at,
                        f.customerKey());
            }
            List<Long> written = new ArrayList<>();
            written.add(event(new Object[] {
                "TIER_CHANGED",
                null,
                f.customerKey(),
                previous,
                tier,
                change == null ? null : change.toString(),
                at,
                cause
            }));
            BuiltInSegment.ofTier(previous).ifPresent(old -> {
                if (jdbc.update(
                                "update segment_membership set left_at = ? where segment_id = ? and customer_key = ? "
                                        + "and left_at is null",
                                at,
                                old.id(),
                                f.customerKey())
                        > 0) {
                    written.add(event(
                            new Object[] {"SEGMENT_LEFT", old.id(), f.customerKey(), null, null, null, at, cause}));
                }
            });
            BuiltInSegment.ofTier(tier).ifPresent(next -> {
                jdbc.update(
                        "insert into segment_membership (segment_id, customer_key, entered_at) values (?, ?, ?)",
                        next.id(),
                        f.customerKey(),
                        at);
                written.add(event(
                        new Object[] {"SEGMENT_ENTERED", next.id(), f.customerKey(), null, null, null, at, cause}));
            });
            return written;
        });
    }

    /** Inserts one segment event; its key. */
    private long event(Object[] values) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(
                connection -> {
                    PreparedStatement insert = connection.prepareStatement(
                            "insert into segment_event (kind, segment_id, "
                                    + "customer_key, from_tier, to_tier, tier_change, occurred_at, cause) values (?, ?, ?, ?, ?, ?, ?, ?)",
                            new String[] {"event_key"});
                    for (int i = 0; i < values.length; i++) {
                        StatementCreatorUtils.setParameterValue(insert, i + 1, SqlTypeValue.TYPE_UNKNOWN, values[i]);
                    }
                    return insert;
                },
                key);
        return key.getKeyAs(Number.class).longValue();
    }
}
