package io.loyalflow.report;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.platform.db.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The campaign report's pre-aggregation: per active or paused campaign, every
 * {@code loyalflow.report.rollup-interval} (5 minutes), the report's statements run once over all the campaign's
 * journeys, grouped by UTC day of entry and process definition, and replace the campaign's rows in the
 * {@code report_*_day} tables in one transaction (readers see the previous figures until it commits). One node
 * computes a campaign at a time (a claim on its {@code report_rollup_run} row, taken over after an hour).
 */
@Service
public class ReportRollups {

    private static final Logger log = LoggerFactory.getLogger(ReportRollups.class);

    private final Campaigns campaigns;
    private final NamedParameterJdbcTemplate jdbc;
    private final ReportSql sql;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Duration interval;
    private final boolean postgres;

    ReportRollups(
            io.loyalflow.platform.db.Database database,
            Campaigns campaigns,
            NamedParameterJdbcTemplate jdbc,
            ReportSql sql,
            PlatformTransactionManager transactions,
            Clock clock,
            @Value("${loyalflow.report.rollup-interval:5m}") Duration interval) {
        this.campaigns = campaigns;
        this.jdbc = jdbc;
        this.sql = sql;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.interval = interval;
        this.postgres = database.isPostgres();
    }

    /** When the campaign's rollups were last computed, if ever. */
    public Optional<Instant> computedAt(String campaignId) {
        return jdbc
                .query(
                        "select computed_at from report_rollup_run where campaign_key = :campaign and computed_at is not null",
                        new MapSqlParameterSource("campaign", campaignId),
                        (rs, row) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .stream()
                .findFirst();
    }

    @Scheduled(
            fixedDelayString = "${loyalflow.report.rollup-interval:5m}",
            initialDelayString = "${loyalflow.report.rollup-interval:5m}")
    public void refreshDue() {
        for (Campaign campaign : campaigns.all()) {
            if (campaign.state() == Campaign.State.ACTIVE || campaign.state() == Campaign.State.PAUSED) {
                try {
                    if (claim(campaign.id())) {
                        refresh(campaign.id());
                    }
                } catch (RuntimeException e) {
                    log.warn("Could not pre-aggregate the report of campaign {}", campaign.id(), e);
                }
            }
        }
    }

    /** Takes the campaign's turn when its figures are older than the interval and no node computes them now. */
    boolean claim(String campaignId) {
        Instant now = clock.instant();
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("campaign", campaignId)
                .addValue("now", Timestamps.utc(now))
                .addValue("due", Timestamps.utc(now.minus(interval)))
                .addValue("dead", Timestamps.utc(now.minus(Duration.ofHours(1))));
        if (jdbc.update(
                        "update report_rollup_run set claimed_at = :now where campaign_key = :campaign "
                                + "and (computed_at is null or computed_at <= :due) "
                                + "and (claimed_at is null or claimed_at <= :dead or claimed_at <= computed_at)",
                        params)
                == 1) {
            return true;
        }
        try {
            return jdbc.update(
                            "insert into report_rollup_run (campaign_key, claimed_at) values (:campaign, :now)", params)
                    == 1;
        } catch (org.springframework.dao.DuplicateKeyException e) {
            return false;
        }
    }

    /** Recomputes the campaign's rollups now; returns how long it took. */
    public Duration refresh(String campaignId) {
        long start = System.nanoTime();
        Campaign campaign = campaigns.get(campaignId);
        CampaignSettings settings = campaign.settings();
        CampaignSettings.Attribution windows = settings.attributionOrDefault();
        boolean duringJourney = settings.exitGoal() == CampaignSettings.ExitGoal.ORDER;
        Instant now = clock.instant();
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("campaign", campaignId)
                .addValue("now", Timestamps.utc(now))
                .addValue(
                        "label",
                        settings.audience() != null && settings.audience().segment() != null
                                ? settings.audience().segment()
                                : CampaignReports.NO_SEGMENT)
                .addValue("emailSeconds", windows.email().toSeconds())
                .addValue("smsSeconds", windows.sms().toSeconds());
        transaction.executeWithoutResult(tx -> {
            if (postgres) {
                jdbc.getJdbcTemplate().execute("set local jit = off");
            }
            for (ReportSql.Rollup rollup : ReportSql.Rollup.values()) {
                jdbc.update(sql.clear(rollup), params);
                jdbc.update(sql.fill(rollup, duringJourney, CampaignReports.SENT_STATUSES), params);
            }
            if (jdbc.update("update report_rollup_run set computed_at = :now where campaign_key = :campaign", params)
                    == 0) {
                jdbc.update(
                        "insert into report_rollup_run (campaign_key, claimed_at, computed_at) values (:campaign, :now, :now)",
                        params);
            }
        });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Pre-aggregated the report of campaign {} in {} ms", campaignId, took.toMillis());
        return took;
    }
}
