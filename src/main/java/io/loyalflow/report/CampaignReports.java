package io.loyalflow.report;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.messaging.DeliveryStatus;
import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.report.CampaignReport.Day;
import io.loyalflow.report.CampaignReport.Exit;
import io.loyalflow.report.CampaignReport.FunnelStep;
import io.loyalflow.report.CampaignReport.MessageStep;
import io.loyalflow.report.CampaignReport.SegmentRow;
import io.loyalflow.report.CampaignReport.Totals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds campaign reports with a handful of set-based statements ({@link ReportSql}): the figures are computed
 * when asked, from the stored journeys, deliveries, orders and the engine's history, so they are as fresh as
 * those.
 */
@Service
public class CampaignReports {

    /** Where the journeys' segment at entry is unknown (recurring and API entries of a campaign without audience). */
    static final String NO_SEGMENT = "(none)";

    static final String RULE = "An order counts for a journey when it is placed within the e-mail window after a human "
            + "open or a click of one of the journey's e-mails, within the SMS window after one of its SMS was sent "
            + "(and delivered), or, for campaigns whose exit goal is an order, while the journey runs. An order "
            + "that qualifies for several journeys of the campaign counts once, for the journey of the latest touch "
            + "before it (ties: the later journey).";

    static final String SENT_STATUSES = DeliveryStatus.AFTER_SEND.stream()
            .map(s -> "'" + s.name() + "'")
            .sorted()
            .collect(Collectors.joining(", "));
    private static final Set<String> BOUNCED = Set.of("BOUNCED", "DROPPED", "UNDELIVERED");

    private final Campaigns campaigns;
    private final RepositoryService repository;
    private final NamedParameterJdbcTemplate jdbc;
    private final ReportSql sql;
    private final Clock clock;
    private final ReportRollups rollups;
    private final Database database;
    private final TransactionTemplate readOnly;

    CampaignReports(
            ReportRollups rollups,
            Database database,
            PlatformTransactionManager transactions,
            Campaigns campaigns,
            RepositoryService repository,
            NamedParameterJdbcTemplate jdbc,
            ReportSql sql,
            Clock clock) {
        this.campaigns = campaigns;
        this.repository = repository;
        this.jdbc = jdbc;
        this.sql = sql;
        this.clock = clock;
        this.rollups = rollups;
        this.database = database;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** The range and version asked for; nulls for the defaults (campaign creation, now, every version). */
    public record Query(Instant from, Instant to, Integer templateVersion) {}

    /** The process definition of the template's version, or null for every version (unknown version: empty). */
    ProcessDefinition definition(Campaign campaign, Integer version) {
        var query = repository.createProcessDefinitionQuery().processDefinitionKey(campaign.template());
        return version == null
                ? query.latestVersion().singleResult()
                : query.processDefinitionVersion(version).singleResult();
    }

    /**
     * The report, its statements in one read-only transaction (on PostgreSQL without JIT compilation, which costs
     * more than it saves on these few large aggregations).
     */
    public CampaignReport report(Campaign campaign, Query query) {
        return readOnly.execute(tx -> {
            if (database.isPostgres()) {
                jdbc.getJdbcTemplate().execute("set local jit = off");
            }
            return compute(campaign, query);
        });
    }

    private CampaignReport compute(Campaign campaign, Query query) {
        Instant now = clock.instant();
        Instant from = query.from() != null ? query.from() : campaign.createdAt();
        Instant to = query.to() != null ? query.to() : now;
        CampaignSettings settings = campaign.settings();
        CampaignSettings.Attribution windows = settings.attributionOrDefault();
        boolean duringJourney = settings.exitGoal() == CampaignSettings.ExitGoal.ORDER;
        boolean version = query.templateVersion() != null;
        ProcessDefinition definition = definition(campaign, query.templateVersion());
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("campaign", campaign.id())
                .addValue("from", Timestamps.utc(from))
                .addValue("to", Timestamps.utc(to))
                .addValue("now", Timestamps.utc(now))
                .addValue(
                        "label",
                        settings.audience() != null && settings.audience().segment() != null
                                ? settings.audience().segment()
                                : NO_SEGMENT)
                .addValue("definition", definition == null ? "" : definition.getId())
                .addValue("emailSeconds", windows.email().toSeconds())
                .addValue("smsSeconds", windows.sms().toSeconds());

        Map<String, long[]> segments = new TreeMap<>(); // journeys, sent, opened, conversions
        Map<String, BigDecimal> segmentRevenue = new TreeMap<>();
        TreeMap<LocalDate, long[]> days = new TreeMap<>(); // entries, sends, opens, conversions
        Map<LocalDate, BigDecimal> dayRevenue = new TreeMap<>();
        Map<String, Long> exits = new TreeMap<>();
        long[] journeys = new long[3]; // journeys, active, exited
        Instant rollupAt = rollupTime(campaign, query);
        Source source = rollupAt != null ? new Source("rollup", rollupAt) : new Source("live", now);
        params.addValue("fromDay", query.from() == null ? LocalDate.of(1970, 1, 1) : day(query.from()))
                .addValue("toDay", query.to() == null ? LocalDate.of(9999, 1, 1) : day(query.to()));
        java.util.function.Function<ReportSql.Rollup, String> statement = kind -> rollupAt != null
                ? sql.read(kind, version)
                : sql.live(kind, version, duringJourney, SENT_STATUSES, false);
        jdbc.query(statement.apply(ReportSql.Rollup.ENROLLMENTS), params, rs -> {
            long n = rs.getLong("n");
            long active = rs.getLong("active");
            journeys[0] += n;
            journeys[1] += active;
            journeys[2] += n - active;
            String outcome = rs.getString("exit_outcome");
            if (n - active > 0) {
                exits.merge(outcome == null ? "UNKNOWN" : outcome, n - active, Long::sum);
            }
            segments.computeIfAbsent(rs.getString("segment"), s -> new long[4])[0] += n;
            days.computeIfAbsent(rs.getObject("d", LocalDate.class), d -> new long[4])[0] += n;
        });

        Map<String, long[]> funnelCounts = new LinkedHashMap<>();
        jdbc.query(statement.apply(ReportSql.Rollup.FUNNEL), params, rs -> {
            funnelCounts.put(rs.getString("step"), new long[] {rs.getLong("entered"), rs.getLong("waiting")});
        });

        Map<String, MessageCounts> messages = new LinkedHashMap<>();
        jdbc.query(statement.apply(ReportSql.Rollup.MESSAGES), params, rs -> {
            String channel = rs.getString("channel").toUpperCase(Locale.ROOT);
            MessageCounts m = messages.computeIfAbsent(
                    rs.getString("activity_id") + "\u0000" + channel,
                    k -> new MessageCounts(k.substring(0, k.indexOf('\u0000')), channel));
            String status = rs.getString("status");
            String gate = rs.getString("gate_decision");
            long n = rs.getLong("n");
            long human = rs.getLong("human");
            boolean sent = DeliveryStatus.AFTER_SEND.contains(DeliveryStatus.valueOf(status));
            if (sent) {
                m.sent += n;
                segments.computeIfAbsent(rs.getString("segment"), s -> new long[4])[1] += n;
            }
            segments.computeIfAbsent(rs.getString("segment"), s -> new long[4])[2] += human;
            switch (status) {
                case "DELIVERED" -> m.delivered += n;
                case "SKIPPED" -> m.skipped.merge(gate, n, Long::sum);
                case "DEFERRED" -> m.deferred.merge(gate, n, Long::sum);
                case "CANCELLED" -> m.cancelled += n;
                case "FAILED" -> m.failed += n;
                default -> {}
            }
            if (BOUNCED.contains(status)) {
                m.bounced += n;
            }
            m.humanOpens += human;
            m.machineOpens += rs.getLong("machine");
            m.clicked += rs.getLong("clicked");
        });
        jdbc.query(statement.apply(ReportSql.Rollup.UNSUBSCRIBES), params, rs -> {
            String channel = rs.getString("channel").toUpperCase(Locale.ROOT);
            MessageCounts m = messages.get(rs.getString("activity_id") + "\u0000" + channel);
            if (m != null) {
                m.unsubscribed += rs.getLong("n");
            }
        });
        jdbc.query(statement.apply(ReportSql.Rollup.SENDS_OPENS), params, rs -> {
            long n = rs.getLong("n");
            LocalDate sentDay = rs.getObject("sent_day", LocalDate.class);
            LocalDate openDay = rs.getObject("open_day", LocalDate.class);
            if (sentDay != null) {
                days.computeIfAbsent(sentDay, d -> new long[4])[1] += n;
            }
            if (openDay != null) {
                days.computeIfAbsent(openDay, d -> new long[4])[2] += n;
            }
        });

        long[] converted = new long[2]; // orders, journeys
        BigDecimal[] revenue = {BigDecimal.ZERO};
        jdbc.query(statement.apply(ReportSql.Rollup.CONVERSIONS), params, rs -> {
            long orders = rs.getLong("orders");
            BigDecimal amount = money(rs.getBigDecimal("revenue"));
            converted[0] += orders;
            converted[1] += rs.getLong("journeys");
            revenue[0] = revenue[0].add(amount);
            segments.computeIfAbsent(rs.getString("segment"), s -> new long[4])[3] += orders;
            segmentRevenue.merge(rs.getString("segment"), amount, BigDecimal::add);
            LocalDate day = rs.getObject("d", LocalDate.class);
            days.computeIfAbsent(day, d -> new long[4])[3] += orders;
            dayRevenue.merge(day, amount, BigDecimal::add);
        });

        List<FunnelStep> funnel = new ArrayList<>();
        List<MessageStep> messageSteps = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        if (definition != null) {
            for (ModelSteps.Step step : ModelSteps.of(repository.getBpmnModelInstance(definition.getId()))) {
                names.put(step.id(), step.name());
                long[] counts = funnelCounts.remove(step.id());
                long entered = counts == null ? 0 : counts[0];
                long waiting = counts == null ? 0 : counts[1];
                funnel.add(new FunnelStep(step.id(), step.name(), step.type(), entered, waiting, entered - waiting));
            }
        }
        // steps of other versions than the model shown (and multi-instance bodies) after the model's
        funnelCounts.forEach((step, counts) -> {
            if (!step.contains("#")) {
                funnel.add(new FunnelStep(step, null, null, counts[0], counts[1], counts[0] - counts[1]));
            }
        });
        List<String> order = new ArrayList<>(names.keySet());
        messages.values().stream()
                .sorted((a, b) -> {
                    int ia = order.indexOf(a.stepId);
                    int ib = order.indexOf(b.stepId);
                    ia = ia < 0 ? Integer.MAX_VALUE : ia;
                    ib = ib < 0 ? Integer.MAX_VALUE : ib;
                    return ia != ib ? Integer.compare(ia, ib) : (a.stepId + a.channel).compareTo(b.stepId + b.channel);
                })
                .forEach(m -> messageSteps.add(m.toStep(names.get(m.stepId))));

        long sent = 0, delivered = 0, opened = 0, clicked = 0, bounced = 0, unsubscribed = 0;
        for (MessageStep m : messageSteps) {
            sent += m.sent();
            delivered += m.delivered();
            opened += m.humanOpens();
            clicked += m.clicked();
            bounced += m.bounced();
            unsubscribed += m.unsubscribed();
        }
        Totals totals = new Totals(
                journeys[0],
                journeys[1],
                journeys[2],
                sent,
                delivered,
                opened,
                clicked,
                bounced,
                unsubscribed,
                converted[0],
                money(revenue[0]));
        List<SegmentRow> segmentRows = new ArrayList<>();
        segments.forEach((segment, c) -> segmentRows.add(new SegmentRow(
                segment, c[0], c[1], c[2], c[3], money(segmentRevenue.getOrDefault(segment, BigDecimal.ZERO)))));
        List<Day> daily = new ArrayList<>();
        if (!days.isEmpty()) { // every day from the first to the last with figures, empty days included
            for (LocalDate d = days.firstKey(); !d.isAfter(days.lastKey()); d = d.plusDays(1)) {
                long[] c = days.getOrDefault(d, new long[4]);
                daily.add(new Day(d, c[0], c[1], c[2], c[3], money(dayRevenue.getOrDefault(d, BigDecimal.ZERO))));
            }
        }
        return new CampaignReport(
                campaign.id(),
                campaign.name(),
                campaign.template(),
                from,
                to,
                query.templateVersion(),
                now,
                source.name(),
                source.figuresAsOf(),
                new CampaignReport.Attribution(windows.emailWindow(), windows.smsWindow(), duringJourney, RULE),
                totals,
                funnel,
                messageSteps,
                exits.entrySet().stream()
                        .map(e -> new Exit(e.getKey(), e.getValue()))
                        .toList(),
                new CampaignReport.Conversions(converted[0], money(revenue[0]), converted[1]),
                segmentRows,
                daily);
    }

    private record Source(String name, Instant figuresAsOf) {}

    private static LocalDate day(Instant instant) {
        return instant.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    }

    private static boolean wholeDay(Instant instant) {
        return instant == null
                || instant.equals(
                        day(instant).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }

    /**
     * When the campaign's rollups were computed, if the report can be summed from them: they exist and the range
     * is whole UTC days of entry (or left open). Null: computed from the stored data now.
     */
    private Instant rollupTime(Campaign campaign, Query query) {
        if (!wholeDay(query.from()) || !wholeDay(query.to())) {
            return null;
        }
        return rollups.computedAt(campaign.id()).orElse(null);
    }

    private static BigDecimal money(BigDecimal amount) {
        return (amount == null ? BigDecimal.ZERO : amount).setScale(2, RoundingMode.HALF_UP);
    }

    private static final class MessageCounts {
        final String stepId;
        final String channel;
        long sent, delivered, humanOpens, machineOpens, clicked, bounced, unsubscribed, failed, cancelled;
        final Map<String, Long> skipped = new TreeMap<>();
        final Map<String, Long> deferred = new TreeMap<>();

        MessageCounts(String stepId, String channel) {
            this.stepId = stepId;
            this.channel = channel;
        }

        MessageStep toStep(String name) {
            return new MessageStep(
                    stepId,
                    name,
                    channel,
                    sent,
                    delivered,
                    humanOpens,
                    machineOpens,
                    clicked,
                    bounced,
                    unsubscribed,
                    failed,
                    cancelled,
                    skipped,
                    deferred);
        }
    }
}
