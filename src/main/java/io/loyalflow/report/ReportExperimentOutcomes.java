package io.loyalflow.report;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.CampaignSplits;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.experiment.ExperimentOutcomes;
import io.loyalflow.platform.db.Timestamps;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The arms' outcomes of an experiment as the campaign report counts them. The experiment's split step is found
 * in the campaign's template (latest version) by its {@code experimentKey} input ({@code ${campaignKey}} stands
 * for the campaign); a journey's arm is the variable the step wrote ({@code armVariable}, default {@code arm}),
 * read from the engine's history, so re-entries keep their sticky arm and every journey counts in its own.
 */
@Service
class ReportExperimentOutcomes implements ExperimentOutcomes {

    private final Campaigns campaigns;
    private final CampaignSplits splits;
    private final NamedParameterJdbcTemplate jdbc;
    private final ReportSql sql;
    private final Clock clock;

    ReportExperimentOutcomes(
            Campaigns campaigns, CampaignSplits splits, NamedParameterJdbcTemplate jdbc, ReportSql sql, Clock clock) {
        this.campaigns = campaigns;
        this.splits = splits;
        this.jdbc = jdbc;
        this.sql = sql;
        this.clock = clock;
    }

    @Override
    public Map<String, ArmOutcome> outcomes(String campaignId, String experimentKey) {
        Campaign campaign = campaigns.get(campaignId);
        Optional<CampaignSplits.SplitStep> split = splits.of(campaign).stream()
                .filter(step -> step.experimentKey().equals(experimentKey))
                .findFirst();
        if (split.isEmpty()) {
            return Map.of();
        }
        CampaignSettings settings = campaign.settings();
        CampaignSettings.Attribution windows = settings.attributionOrDefault();
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("campaign", campaignId)
                .addValue("step", split.get().stepId())
                .addValue("armVariable", split.get().armVariable())
                .addValue("now", Timestamps.utc(clock.instant()))
                .addValue("emailSeconds", windows.email().toSeconds())
                .addValue("smsSeconds", windows.sms().toSeconds());
        Map<String, ArmOutcome> outcomes = new LinkedHashMap<>();
        jdbc.query(sql.armOutcomes(settings.exitGoal() == CampaignSettings.ExitGoal.ORDER), params, rs -> {
            BigDecimal revenue = rs.getBigDecimal("revenue");
            outcomes.put(
                    rs.getString("arm"),
                    new ArmOutcome(
                            rs.getLong("assigned"),
                            rs.getLong("reached"),
                            rs.getLong("opened"),
                            rs.getLong("clicked"),
                            rs.getLong("converted"),
                            (revenue == null ? BigDecimal.ZERO : revenue).setScale(2, RoundingMode.HALF_UP)));
        });
        return outcomes;
    }
}
