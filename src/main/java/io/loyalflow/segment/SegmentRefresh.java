package io.loyalflow.segment;

import io.loyalflow.clv.CustomerValueFits;
import io.loyalflow.platform.db.ColumnarInsert;
import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.platform.problem.Refusal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refreshes the built-in segments: features of every customer in one pass, the DMN tables' verdicts
 * (latest deployed versions), then the difference to the stored state written as memberships and
 * events. Refreshing again without a data change writes nothing and emits nothing. One refresh at a
 * time across the cluster: a second request while one runs is refused (409).
 */
@Service
public class SegmentRefresh {

    private static final Logger log = LoggerFactory.getLogger(SegmentRefresh.class);
    private static final String NAME = "built-in";

    private final SegmentFeatures features;
    private final SegmentDecisions decisions;
    private final SegmentProperties properties;
    private final JdbcTemplate jdbc;
    private final Database database;
    private final SegmentLedger ledger;
    private final TransactionTemplate separately;
    private final DynamicSegments dynamic;
    private final Clock clock;
    private final AsyncTaskExecutor featuresWriter;
    private final CustomerValueFits valueModel;

    SegmentRefresh(
            SegmentFeatures features,
            SegmentDecisions decisions,
            SegmentProperties properties,
            JdbcTemplate jdbc,
            Database database,
            SegmentLedger ledger,
            PlatformTransactionManager transactionManager,
            DynamicSegments dynamic,
            Clock clock,
            @Qualifier(SegmentExecutors.FEATURES_WRITER) AsyncTaskExecutor featuresWriter,
            CustomerValueFits valueModel) {
        this.valueModel = valueModel;
        this.separately = new TransactionTemplate(transactionManager);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.dynamic = dynamic;
        this.features = features;
        this.decisions = decisions;
        this.properties = properties;
        this.jdbc = jdbc;
        this.database = database;
        this.ledger = ledger;
        this.clock = clock;
        this.featuresWriter = featuresWriter;
    }

    /** What a refresh did. */
    public record Summary(
            String refreshId,
            Instant startedAt,
            long durationMillis,
            long customers,
            Map<String, Integer> decisionVersions,
            Map<String, Integer> entered,
            Map<String, Integer> left,
            int tierChanges,
            long dmnEvaluations,
            Map<String, Long> phaseMillis) {}

    public Summary refreshBuiltIn() {
        String refreshId = UUID.randomUUID().toString();
        Instant started = clock.instant();
        claim(refreshId, started);
        try {
            Summary summary = run(refreshId, started);
            release(refreshId, summary);
            log.info(
                    "Segment refresh {}: {} customers in {} ms ({}), entered {}, left {}, {} tier changes",
                    refreshId,
                    summary.customers(),
                    summary.durationMillis(),
                    summary.phaseMillis(),
                    summary.entered(),
                    summary.left(),
                    summary.tierChanges());
            return summary;
        } catch (RuntimeException e) {
            release(refreshId, null);
            throw e;
        }
    }

    private record Tier(String tier, int rank) {}

    private Summary run(String refreshId, Instant now) {
        long clockStart = System.nanoTime();
        SegmentDecisions.Decision valueTier = decisions.latest(SegmentDecisions.VALUE_TIER);
        SegmentDecisions.Decision tierChange = decisions.latest(SegmentDecisions.TIER_CHANGE);
        SegmentDecisions.Decision winBack = decisions.latest(SegmentDecisions.WIN_BACK_WINDOW);
        SegmentDecisions.Decision defecting = decisions.latest(SegmentDecisions.DEFECTING_BUYER);
        SegmentDecisions.Decision best = decisions.latest(SegmentDecisions.BEST_CUSTOMER);
        SegmentDecisions.Decision bestPredicted = decisions.latest(SegmentDecisions.BEST_CUSTOMER_PREDICTIVE);
        SegmentDecisions.Decision churnRisk = decisions.latest(SegmentDecisions.CHURN_RISK);
        boolean modelFitted = valueModel.hasFittedModel();
        Map<Long, Double> valuePercentiles = new HashMap<>();
        Map<Long, Double> probabilitiesAlive = new HashMap<>();
        jdbc.query("select customer_key, value_percentile, probability_alive from v_customer_value", rs -> {
            valuePercentiles.put(rs.getLong(1), rs.getDouble(2));
            probabilitiesAlive.put(rs.getLong(1), rs.getDouble(3));
        });

        Map<Long, String> tiers = new HashMap<>();
        jdbc.query("select customer_key, tier from customer_tier", rs -> {
            tiers.put(rs.getLong(1), rs.getString(2));
        });
        Map<BuiltInSegment, Set<Long>> before = new EnumMap<>(BuiltInSegment.class);
        Map<BuiltInSegment, Set<Long>> after = new EnumMap<>(BuiltInSegment.class);
        for (BuiltInSegment segment : BuiltInSegment.values()) {
            before.put(segment, new HashSet<>());
            after.put(segment, new HashSet<>());
        }
        jdbc.query("select segment_id, customer_key from segment_membership where left_at is null", rs -> {
            var segment = BuiltInSegment.byId(rs.getString(1));
            if (segment.isPresent()) {
                before.get(segment.get()).add(rs.getLong(2));
            }
        });

        SegmentLedger.Changes changes = new SegmentLedger.Changes();
        long[] customers = {0};
        long[] evaluations = {0};
        List<Object[]> featureRows = new ArrayList<>(10_000);
        var computedAt = Timestamps.utc(now);
        try (FeatureReplacement storedFeatures =
                new FeatureReplacement(separately, jdbc, rows -> writeFeatures(rows, computedAt), featuresWriter)) {
            features.forEach(now, f -> {
                customers[0]++;
                Map<String, Object> verdict = valueTier.evaluate(SegmentDecisions.valueTierInputs(f));
                String tier = (String) verdict.get("tier");
                Number rank = (Number) verdict.get("tierRank");
                evaluations[0] += 5;
                featureRows.add(featureRow(f, tier, computedAt));
                if (featureRows.size() == 10_000) {
                    storedFeatures.add(List.copyOf(featureRows));
                    featureRows.clear();
                }
                if (tier != null) {
                    BuiltInSegment.ofTier(tier)
                            .ifPresent(segment -> after.get(segment).add(f.customerKey()));
                    String previous = tiers.get(f.customerKey());
                    if (!tier.equals(previous)) {
                        Object change = tierChange
                                .evaluate(SegmentDecisions.tierChangeInputs(previous, tier))
                                .get("change");
                        evaluations[0]++;
                        changes.tierChanged(
                                f.customerKey(), previous, tier, rank == null ? 0 : rank.intValue(), change);
                    }
                }
                Map<String, Object> days = new LinkedHashMap<>();
                days.put(
                        SegmentVariables.DAYS_SINCE_LAST_ORDER.name(),
                        f.daysSinceLastOrder() == null
                                ? null
                                : f.daysSinceLastOrder().intValue());
                if (Boolean.TRUE.equals(winBack.evaluate(days).get("winBackEligible"))) {
                    after.get(BuiltInSegment.WIN_BACK).add(f.customerKey());
                }
                if (Boolean.TRUE.equals(defecting.evaluate(days).get("defecting"))) {
                    after.get(BuiltInSegment.DEFECTING_BUYERS).add(f.customerKey());
                }
                Map<String, Object> bestInputs = new LinkedHashMap<>();
                bestInputs.put(SegmentVariables.HAS_RECENT_ORDER.name(), f.recentBuyer());
                bestInputs.put(SegmentVariables.SPEND_PERCENTILE.name(), f.spendPercentile());
                if (Boolean.TRUE.equals(best.evaluate(bestInputs).get("bestCustomer"))) {
                    after.get(BuiltInSegment.BEST_CUSTOMERS).add(f.customerKey());
                }
                Map<String, Object> predictedInputs = new LinkedHashMap<>(bestInputs);
                predictedInputs.put(SegmentVariables.MODEL_FITTED.name(), modelFitted);
                predictedInputs.put(
                        SegmentVariables.PREDICTED_VALUE_PERCENTILE.name(), valuePercentiles.get(f.customerKey()));
                if (Boolean.TRUE.equals(bestPredicted.evaluate(predictedInputs).get("bestCustomer"))) {
                    after.get(BuiltInSegment.BEST_CUSTOMERS_PREDICTIVE).add(f.customerKey());
                }
                evaluations[0]++;
                if (Boolean.TRUE.equals(churnRisk
                        .evaluate(SegmentDecisions.churnRiskInputs(f, probabilitiesAlive.get(f.customerKey())))
                        .get("churnRisk"))) {
                    after.get(BuiltInSegment.CHURN_RISK).add(f.customerKey());
                }
            });

            if (!featureRows.isEmpty()) {
                storedFeatures.add(List.copyOf(featureRows));
            }
            storedFeatures.commit();
        }
        Map<String, Long> phases = new LinkedHashMap<>();
        long phaseStart = clockStart;
        phaseStart = phase(phases, "features and decisions", phaseStart);
        Map<String, Integer> entered = new LinkedHashMap<>();
        Map<String, Integer> left = new LinkedHashMap<>();
        for (BuiltInSegment segment : BuiltInSegment.values()) {
            int[] counts = changes.difference(segment.id(), before.get(segment), after.get(segment));
            entered.put(segment.id(), counts[0]);
            left.put(segment.id(), counts[1]);
        }
        phaseStart = phase(phases, "difference", phaseStart);
        ledger.write(changes, now, "refresh:" + refreshId);
        phaseStart = phase(phases, "writes", phaseStart);
        dynamic.refreshAll(now, "refresh:" + refreshId).forEach((id, change) -> {
            entered.put(id, change[0]);
            left.put(id, change[1]);
        });
        phase(phases, "dynamic segments", phaseStart);
        Map<String, Integer> versions = new LinkedHashMap<>();
        for (SegmentDecisions.Decision decision :
                List.of(valueTier, tierChange, winBack, defecting, best, bestPredicted, churnRisk)) {
            versions.put(decision.key(), decision.version());
        }
        return new Summary(
                refreshId,
                now,
                Duration.ofNanos(System.nanoTime() - clockStart).toMillis(),
                customers[0],
                versions,
                entered,
                left,
                changes.tiers.size(),
                evaluations[0],
                phases);
    }

    private static long phase(Map<String, Long> phases, String name, long since) {
        long now = System.nanoTime();
        phases.put(name, (now - since) / 1_000_000);
        return now;
    }

    private static final String INSERT_FEATURES = "insert into customer_features (customer_key, orders, orders_12m, "
            + "total_spend, spend_12m, average_order_value, last_order_date, first_order_date, days_since_last_order, "
            + "spend_percentile, recent_buyer, tier, computed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static Object[] featureRow(CustomerFeatures f, String tier, OffsetDateTime computedAt) {
        return new Object[] {
            f.customerKey(),
            f.orders(),
            f.orders12Months(),
            f.totalSpend(),
            f.spend12Months(),
            f.orders() == 0 ? null : f.totalSpend().divide(BigDecimal.valueOf(f.orders()), 4, RoundingMode.HALF_UP),
            f.lastOrderAt() == null ? null : f.lastOrderAt().atZone(f.zone()).toLocalDate(),
            f.firstOrderAt() == null ? null : f.firstOrderAt().atZone(f.zone()).toLocalDate(),
            f.daysSinceLastOrder() == null ? null : f.daysSinceLastOrder().intValue(),
            f.spendPercentile(),
            f.recentBuyer(),
            tier,
            computedAt
        };
    }

    private void writeFeatures(List<Object[]> rows, OffsetDateTime computedAt) {
        if (!database.isPostgres()) {
            jdbc.batchUpdate(INSERT_FEATURES, rows);
            return;
        }
        ColumnarInsert.write(
                jdbc,
                "insert into customer_features (customer_key, orders, orders_12m, total_spend, spend_12m, "
                        + "average_order_value, last_order_date, first_order_date, days_since_last_order, spend_percentile, "
                        + "recent_buyer, tier, computed_at) select k, o, o12, ts, s12, aov, ld::date, fd::date, d, p, r, t, ? "
                        + "from unnest(?::int8[], ?::int8[], ?::int8[], ?::numeric[], ?::numeric[], ?::numeric[], ?::text[], "
                        + "?::text[], ?::int4[], ?::float8[], ?::bool[], ?::varchar[]) as x(k, o, o12, ts, s12, aov, ld, fd, d, p, r, t)",
                rows,
                new String[] {
                    "int8", "int8", "int8", "numeric", "numeric", "numeric", "text", "text", "int4", "float8", "bool",
                    "varchar"
                },
                computedAt);
    }

    private void claim(String refreshId, Instant now) {
        int claimed = jdbc.update(
                "update segment_refresh set running_id = ?, running_since = ? where refresh_name = ? "
                        + "and (running_id is null or running_since < ?)",
                refreshId,
                Timestamps.utc(now),
                NAME,
                Timestamps.utc(now.minus(properties.staleRefreshAfter())));
        if (claimed == 0) {
            throw Refusal.conflict("A segment refresh is already running; try again when it has finished.", List.of());
        }
    }

    private void release(String refreshId, Summary summary) {
        jdbc.update(
                "update segment_refresh set running_id = null, running_since = null, last_id = ?, "
                        + "last_started_at = ?, last_finished_at = ?, last_summary = ? where refresh_name = ? and running_id = ?",
                refreshId,
                summary == null ? null : Timestamps.utc(summary.startedAt()),
                Timestamps.utc(clock.instant()),
                summary == null
                        ? "failed"
                        : summary.toString()
                                .substring(0, Math.min(4000, summary.toString().length())),
                NAME,
                refreshId);
    }
}
