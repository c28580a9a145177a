package io.loyalflow.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A campaign's results for the journeys that entered it in [from, to): counts and sums only, no personal data.
 * See docs/api.md for each field. {@code source}: {@code rollup} (summed from the pre-aggregated figures computed
 * at {@code figuresAsOf}) or {@code live} (computed from the stored data at {@code generatedAt}).
 */
public record CampaignReport(
        String campaignId,
        String campaignName,
        String template,
        Instant from,
        Instant to,
        Integer templateVersion,
        Instant generatedAt,
        String source,
        Instant figuresAsOf,
        Attribution attribution,
        Totals totals,
        List<FunnelStep> funnel,
        List<MessageStep> messages,
        List<Exit> exits,
        Conversions conversions,
        List<SegmentRow> segments,
        List<Day> daily) {

    public record Attribution(String emailWindow, String smsWindow, boolean duringJourney, String rule) {}

    public record Totals(
            long journeys,
            long active,
            long exited,
            long sent,
            long delivered,
            long opened,
            long clicked,
            long bounced,
            long unsubscribed,
            long conversions,
            BigDecimal revenue) {}

    public record FunnelStep(String stepId, String name, String type, long entered, long waiting, long left) {}

    public record MessageStep(
            String stepId,
            String name,
            String channel,
            long sent,
            long delivered,
            long humanOpens,
            long machineOpens,
            long clicked,
            long bounced,
            long unsubscribed,
            long failed,
            long cancelled,
            Map<String, Long> skipped,
            Map<String, Long> deferred) {}

    public record Exit(String outcome, long journeys) {}

    public record Conversions(long orders, BigDecimal revenue, long journeysConverted) {}

    public record SegmentRow(
            String segment, long journeys, long sent, long opened, long conversions, BigDecimal revenue) {}

    public record Day(LocalDate date, long entries, long sends, long opens, long conversions, BigDecimal revenue) {}
}
