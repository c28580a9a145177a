package io.loyalflow.report;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.CampaignSplits;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.platform.db.Timestamps;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Prometheus counters per campaign and arm: messages sent, messages opened (by a person) and clicked, and
 * attributed orders ({@code loyalflow.campaign.sends}, {@code .opens}, {@code .clicks}, {@code .conversions}, tags
 * {@code campaign}, {@code arm}). Counted from the stored deliveries and orders, as the campaign report counts
 * them, every {@code loyalflow.report.metrics-interval} (5 minutes) for active and paused campaigns: a scrape
 * shows the figures of the last count. The arm is the journey's arm at the campaign's first A/B split step
 * ({@code none} for journeys without one).
 */
@Component
class CampaignMetrics {

    private static final Logger log = LoggerFactory.getLogger(CampaignMetrics.class);
    static final List<String> KINDS = List.of("sends", "opens", "clicks", "conversions");

    private final Campaigns campaigns;
    private final CampaignSplits splits;
    private final NamedParameterJdbcTemplate jdbc;
    private final ReportSql sql;
    private final Clock clock;
    private final MeterRegistry meters;
    /** (campaign, arm, kind) → the last count. */
    private final Map<List<String>, long[]> counts = new ConcurrentHashMap<>();

    CampaignMetrics(
            Campaigns campaigns,
            CampaignSplits splits,
            NamedParameterJdbcTemplate jdbc,
            ReportSql sql,
            Clock clock,
            MeterRegistry meters) {
        this.campaigns = campaigns;
        this.splits = splits;
        this.jdbc = jdbc;
        this.sql = sql;
        this.clock = clock;
        this.meters = meters;
    }

    @Scheduled(
            fixedDelayString = "${loyalflow.report.metrics-interval:5m}",
            initialDelayString = "${loyalflow.report.metrics-interval:5m}")
    public void refresh() {
        for (Campaign campaign : campaigns.all()) {
            if (campaign.state() == Campaign.State.ACTIVE || campaign.state() == Campaign.State.PAUSED) {
                try {
                    count(campaign);
                } catch (RuntimeException e) {
                    log.warn("Could not count campaign {} for its metrics", campaign.id(), e);
                }
            }
        }
    }

    /** Counts one campaign's figures now. */
    void count(Campaign campaign) {
        // the arm of a journey's first A/B split (document order)
        Optional<String> armVariable =
                splits.of(campaign).stream().findFirst().map(CampaignSplits.SplitStep::armVariable);
        CampaignSettings settings = campaign.settings();
        CampaignSettings.Attribution windows = settings.attributionOrDefault();
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("campaign", campaign.id())
                .addValue("armVariable", armVariable.orElse(""))
                .addValue("now", Timestamps.utc(clock.instant()))
                .addValue("emailSeconds", windows.email().toSeconds())
                .addValue("smsSeconds", windows.sms().toSeconds());
        jdbc.query(sql.campaignMetrics(settings.exitGoal() == CampaignSettings.ExitGoal.ORDER), params, rs -> {
            String arm = rs.getString("arm");
            for (String kind : KINDS) {
                set(campaign.id(), arm, kind, rs.getLong(kind));
            }
        });
    }

    private void set(String campaign, String arm, String kind, long value) {
        long[] cell = counts.computeIfAbsent(List.of(campaign, arm, kind), key -> {
            long[] fresh = new long[1];
            FunctionCounter.Builder<long[]> builder = switch (kind) {
                case "sends" -> FunctionCounter.builder("loyalflow.campaign.sends", fresh, c -> c[0]);
                case "opens" -> FunctionCounter.builder("loyalflow.campaign.opens", fresh, c -> c[0]);
                case "clicks" -> FunctionCounter.builder("loyalflow.campaign.clicks", fresh, c -> c[0]);
                default -> FunctionCounter.builder("loyalflow.campaign.conversions", fresh, c -> c[0]);
            };
            builder.tags("campaign", campaign, "arm", arm).register(meters);
            return fresh;
        });
        cell[0] = value;
    }
}
