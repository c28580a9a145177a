package io.loyalflow.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.experiment.ExperimentOutcomes.ArmOutcome;
import io.loyalflow.experiment.ExperimentView.ArmView;
import io.loyalflow.experiment.ExperimentView.Decision;
import io.loyalflow.experiment.ExperimentView.Interval;
import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.platform.problem.Refusal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The experiments of A/B split steps: created when a campaign's journey first reaches a split, their
 * figures per arm (outcomes from {@link ExperimentOutcomes}, the campaign report's attribution), the
 * automatic winner of the scheduled review, the applied winner for new entries, and its undo.
 */
@Service
public class Experiments {

    /** What a review did. */
    public record Review(int reviewed, int declared, int applied) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Database database;
    private final ObjectMapper json;
    private final ExperimentCampaigns campaigns;
    private final ObjectProvider<ExperimentOutcomes> outcomes;
    private final ExperimentAssignments assignments;

    Experiments(
            JdbcTemplate jdbc,
            Clock clock,
            Database database,
            ObjectMapper json,
            ExperimentCampaigns campaigns,
            ObjectProvider<ExperimentOutcomes> outcomes,
            ExperimentAssignments assignments) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.database = database;
        this.json = json;
        this.campaigns = campaigns;
        this.outcomes = outcomes;
        this.assignments = assignments;
    }

    /** One experiment's row. */
    record Row(
            String key,
            String campaignId,
            String stepId,
            String stepName,
            String arms,
            String controlArm,
            ExperimentSetting.Metric metric,
            int minSample,
            double threshold,
            boolean applyWinner,
            String window,
            Instant startedAt,
            Instant reviewedAt,
            int looksDone,
            String winner,
            Instant decidedAt,
            String figures,
            boolean applied,
            Instant undoneAt,
            String undoneBy) {

        boolean decisionStands() {
            return winner != null && undoneAt == null;
        }

        String state() {
            if (!decisionStands()) {
                return "RUNNING";
            }
            return applied ? "WINNER_APPLIED" : "WINNER_DECLARED";
        }

        Instant endsAt() {
            return window == null ? null : startedAt.plus(durationOf(window));
        }
    }

    // ---- the split step

    /**
     * A journey of a campaign reached the split: the experiment is created on the first visit (with the
     * campaign's current setting), and its weights follow those the journeys bring.
     */
    void reached(String experimentKey, String campaignId, FlowNode task, String weights, Arms arms) {
        if (weights.length() > 500 || campaignId.length() > 64) {
            return; // weights no campaign setting can give: the model's own, recorded nowhere
        }
        List<String> known =
                jdbc.queryForList("select arms from experiment where experiment_key = ?", String.class, experimentKey);
        Instant now = clock.instant();
        if (!known.isEmpty()) {
            if (!known.get(0).equals(weights)) {
                String control = jdbc.queryForObject(
                        "select control_arm from experiment where experiment_key = ?", String.class, experimentKey);
                ExperimentSetting setting = campaigns.setting(campaignId, task.getId());
                jdbc.update(
                        "update experiment set arms = ?, control_arm = ?, refreshed_at = ? where experiment_key = ?",
                        weights,
                        controlOf(arms, setting, control),
                        Timestamps.utc(now),
                        experimentKey);
            }
            return;
        }
        ExperimentSetting setting = campaigns.setting(campaignId, task.getId());
        String name = task.getName() == null || task.getName().isBlank() ? task.getId() : task.getName();
        String insert = "insert into experiment (experiment_key, campaign_key, step_id, step_name, arms, control_arm, "
                + "metric, min_sample, threshold, apply_winner, run_window, started_at, refreshed_at) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + (database.isPostgres() ? " on conflict (experiment_key) do nothing" : "");
        Object[] values = {
            experimentKey,
            campaignId,
            task.getId(),
            name.length() > 255 ? name.substring(0, 255) : name,
            weights,
            controlOf(arms, setting, null),
            setting.metric().name(),
            setting.minSample(),
            setting.threshold(),
            setting.applyWinner(),
            setting.window(),
            Timestamps.utc(now),
            Timestamps.utc(now)
        };
        try {
            jdbc.update(insert, values);
        } catch (DuplicateKeyException e) {
            // H2: another journey created it at the same moment (its statement alone failed)
        }
    }

    /** The weights new entries take: the campaign's, or the applied winner's while its decision stands. */
    Arms effective(String experimentKey, Arms arms) {
        List<String[]> applied = jdbc.query(
                "select winner_arm, control_arm from experiment where experiment_key = ? and winner_applied = ? "
                        + "and undone_at is null and winner_arm is not null",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2)},
                experimentKey,
                true);
        return applied.isEmpty() ? arms : arms.withWinner(applied.get(0)[0], applied.get(0)[1]);
    }

    private static String controlOf(Arms arms, ExperimentSetting setting, String fallback) {
        String control = setting.controlArm() == null ? ExperimentSetting.DEFAULT_CONTROL_ARM : setting.controlArm();
        return arms.has(control) ? control : fallback != null && arms.has(fallback) ? fallback : null;
    }

    // ---- results

    /** The campaign's experiments, in the order journeys first reached them; 404 for an unknown campaign. */
    public List<ExperimentView> of(String campaignId) {
        requireCampaign(campaignId);
        return rows(campaignId, null).stream().map(this::view).toList();
    }

    private void requireCampaign(String campaignId) {
        if (campaignId == null || campaignId.length() > 64 || !campaigns.exists(campaignId)) {
            throw Refusal.notFound("No campaign " + campaignId + ".");
        }
    }

    private List<Row> rows(String campaignId, String experimentKey) {
        String sql = "select * from experiment where "
                + (campaignId == null ? "1 = 1" : "campaign_key = ?")
                + (experimentKey == null ? "" : " and experiment_key = ?")
                + " order by started_at, experiment_key";
        List<Object> args = new ArrayList<>();
        if (campaignId != null) {
            args.add(campaignId);
        }
        if (experimentKey != null) {
            args.add(experimentKey);
        }
        return jdbc.query(sql, Experiments::row, args.toArray());
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        return new Row(
                rs.getString("experiment_key"),
                rs.getString("campaign_key"),
                rs.getString("step_id"),
                rs.getString("step_name"),
                rs.getString("arms"),
                rs.getString("control_arm"),
                ExperimentSetting.Metric.valueOf(rs.getString("metric")),
                rs.getInt("min_sample"),
                rs.getDouble("threshold"),
                rs.getBoolean("apply_winner"),
                rs.getString("run_window"),
                Timestamps.instant(rs, "started_at"),
                Timestamps.instant(rs, "reviewed_at"),
                rs.getInt("looks_done"),
                rs.getString("winner_arm"),
                Timestamps.instant(rs, "decided_at"),
                rs.getString("decision_figures"),
                rs.getBoolean("winner_applied"),
                Timestamps.instant(rs, "undone_at"),
                rs.getString("undone_by"));
    }

    private ExperimentView view(Row row) {
        List<ArmView> arms = figures(row);
        Decision decision = null;
        if (row.winner() != null) {
            JsonNode figures = readFigures(row.figures());
            Double best = null;
            for (JsonNode arm : figures) {
                if (row.winner().equals(arm.path("arm").asText())
                        && arm.path("probabilityToBeBest").isNumber()) {
                    best = arm.path("probabilityToBeBest").asDouble();
                }
            }
            decision = new Decision(
                    row.winner(), row.decidedAt(), best, figures, row.applied(), row.undoneAt(), row.undoneBy());
        }
        return new ExperimentView(
                row.key(),
                row.stepId(),
                row.stepName(),
                row.metric().name(),
                row.controlArm(),
                row.startedAt(),
                row.minSample(),
                row.threshold(),
                row.applyWinner(),
                row.window(),
                row.endsAt(),
                row.arms(),
                row.state(),
                row.decisionStands() ? row.winner() : null,
                decision,
                row.reviewedAt(),
                row.looksDone(),
                row.winner() == null ? WinnerRule.nextLookAt(row.minSample(), row.looksDone()) : null,
                row.winner() == null ? round(WinnerRule.required(row.threshold(), row.looksDone())) : null,
                arms);
    }

    private JsonNode readFigures(String text) {
        try {
            return json.readTree(text == null ? "[]" : text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable decision figures", e);
        }
    }

    /** Every arm of the weights (and any other arm journeys were assigned) with its figures. */
    List<ArmView> figures(Row row) {
        Arms weights = Arms.parse(row.arms());
        List<String> names = new ArrayList<>(weights.names());
        Map<String, ArmOutcome> counted = counts(row);
        counted.keySet().stream().filter(arm -> !names.contains(arm)).sorted().forEach(names::add);
        long[] journeys = new long[names.size()];
        long[] hits = new long[names.size()];
        for (int i = 0; i < names.size(); i++) {
            ArmOutcome outcome = counted.get(names.get(i));
            journeys[i] = outcome == null ? 0 : outcome.assigned();
            hits[i] = outcome == null ? 0 : Math.min(journeys[i], Math.max(0, metricCount(row.metric(), outcome)));
        }
        double[] best = bestAmongThoseWithJourneys(journeys, hits);
        int control = row.controlArm() == null ? -1 : names.indexOf(row.controlArm());
        double controlRate = control < 0 || journeys[control] == 0 ? 0 : (double) hits[control] / journeys[control];
        List<ArmView> arms = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ArmOutcome outcome = counted.get(names.get(i));
            double rate = journeys[i] == 0 ? 0 : (double) hits[i] / journeys[i];
            double[] interval = Posteriors.interval(journeys[i], hits[i], 0.95);
            BigDecimal revenue = outcome == null || outcome.revenue() == null ? BigDecimal.ZERO : outcome.revenue();
            double revenuePerJourney = journeys[i] == 0
                    ? 0
                    : revenue.divide(BigDecimal.valueOf(journeys[i]), 2, RoundingMode.HALF_UP)
                            .doubleValue();
            Double uplift = control < 0 || i == control || controlRate == 0 || journeys[i] == 0
                    ? null
                    : round((rate - controlRate) / controlRate);
            arms.add(new ArmView(
                    names.get(i),
                    weights.weight(names.get(i)),
                    i == control,
                    journeys[i],
                    outcome == null ? 0 : outcome.reached(),
                    hits[i],
                    round(rate),
                    revenuePerJourney,
                    journeys[i] == 0 ? null : round(best[i]),
                    new Interval(round(interval[0]), round(interval[1])),
                    uplift));
        }
        return arms;
    }

    /** P(best) among the arms that have journeys (an arm with none has no say, and gets 0 here). */
    private static double[] bestAmongThoseWithJourneys(long[] journeys, long[] hits) {
        List<Integer> with = new ArrayList<>();
        for (int i = 0; i < journeys.length; i++) {
            if (journeys[i] > 0) {
                with.add(i);
            }
        }
        long[] n = new long[with.size()];
        long[] s = new long[with.size()];
        for (int j = 0; j < with.size(); j++) {
            n[j] = journeys[with.get(j)];
            s[j] = hits[with.get(j)];
        }
        double[] some = Posteriors.probabilityToBeBest(n, s);
        double[] all = new double[journeys.length];
        for (int j = 0; j < with.size(); j++) {
            all[with.get(j)] = some[j];
        }
        return all;
    }

    private static long metricCount(ExperimentSetting.Metric metric, ArmOutcome outcome) {
        return switch (metric) {
            case CONVERSION -> outcome.converted();
            case OPEN -> outcome.opened();
            case CLICK -> outcome.clicked();
        };
    }

    private static double round(double value) {
        return Math.round(value * 1_000_000d) / 1_000_000d;
    }

    /** The counts per arm: the report's attribution, or the assignments alone while no report is there. */
    private Map<String, ArmOutcome> counts(Row row) {
        ExperimentOutcomes report = outcomes.getIfAvailable();
        if (report != null) {
            return report.outcomes(row.campaignId(), row.key());
        }
        Map<String, ArmOutcome> assigned = new java.util.TreeMap<>();
        assignments
                .counts(row.key())
                .forEach((arm, n) -> assigned.put(
                        arm, new ArmOutcome(n, arm.equals(row.controlArm()) ? n : 0, 0, 0, 0, BigDecimal.ZERO)));
        return assigned;
    }

    // ---- the review

    /**
     * Reviews every experiment: its setting refreshed from the campaign; then, unless a decision was made
     * (or undone), the winner rule over the open arms; a declared winner is applied when the setting says so.
     */
    @Transactional
    public Review review() {
        int reviewed = 0;
        int declared = 0;
        int applied = 0;
        Instant now = clock.instant();
        for (Row found : rows(null, null)) {
            Row row = refreshed(found, now);
            reviewed++;
            if (row.decisionStands()) {
                if (!row.applied() && row.applyWinner() && !row.winner().equals(row.controlArm())) {
                    applied += jdbc.update(
                            "update experiment set winner_applied = ? where experiment_key = ? and undone_at is null",
                            true,
                            row.key());
                }
                continue;
            }
            if (row.winner() != null || (row.endsAt() != null && now.isAfter(row.endsAt()))) {
                continue; // an undone decision stays undone; a closed window decides nothing more
            }
            Optional<String> winner = decide(row);
            if (winner.isEmpty()) {
                continue;
            }
            boolean apply = row.applyWinner() && !winner.get().equals(row.controlArm());
            int changed = jdbc.update(
                    "update experiment set winner_arm = ?, decided_at = ?, decision_figures = ?, winner_applied = ? "
                            + "where experiment_key = ? and winner_arm is null",
                    winner.get(),
                    Timestamps.utc(now),
                    figuresJson(figures(row)),
                    apply,
                    row.key());
            declared += changed;
            applied += apply ? changed : 0;
        }
        return new Review(reviewed, declared, applied);
    }

    private Row refreshed(Row row, Instant now) {
        ExperimentSetting setting = campaigns.setting(row.campaignId(), row.stepId());
        Arms arms = Arms.parse(row.arms());
        String control = controlOf(arms, setting, null);
        jdbc.update(
                "update experiment set metric = ?, min_sample = ?, threshold = ?, apply_winner = ?, run_window = ?, "
                        + "control_arm = ?, reviewed_at = ? where experiment_key = ?",
                setting.metric().name(),
                setting.minSample(),
                setting.threshold(),
                setting.applyWinner(),
                setting.window(),
                control,
                Timestamps.utc(now),
                row.key());
        return rows(null, row.key()).get(0);
    }

    /** The winner by {@link WinnerRule} over the arms open in the weights, when a look is due (recorded). */
    private Optional<String> decide(Row row) {
        Arms weights = Arms.parse(row.arms());
        List<ArmView> figures = figures(row);
        List<ArmView> open =
                figures.stream().filter(arm -> weights.isOpen(arm.arm())).toList();
        long[] n = open.stream().mapToLong(ArmView::assigned).toArray();
        long[] s = open.stream().mapToLong(ArmView::outcomes).toArray();
        WinnerRule.Look look = WinnerRule.look(n, s, row.minSample(), row.threshold(), row.looksDone());
        if (look.looksDone() != row.looksDone()) {
            jdbc.update("update experiment set looks_done = ? where experiment_key = ?", look.looksDone(), row.key());
        }
        return look.winner() < 0
                ? Optional.empty()
                : Optional.of(open.get(look.winner()).arm());
    }

    private String figuresJson(List<ArmView> figures) {
        try {
            return json.writeValueAsString(figures);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- undo

    /**
     * Undoes the experiment's winner decision: new entries take the campaign's weights again; who and when
     * are recorded. 404 for an unknown campaign or experiment, 409 when no decision stands.
     */
    @Transactional
    public ExperimentView undo(String campaignId, String experimentKey, String user) {
        requireCampaign(campaignId);
        List<Row> found =
                experimentKey == null || experimentKey.length() > 100 ? List.of() : rows(campaignId, experimentKey);
        if (found.isEmpty()) {
            throw Refusal.notFound("Campaign " + campaignId + " has no experiment " + experimentKey + ".");
        }
        int changed = jdbc.update(
                "update experiment set undone_at = ?, undone_by = ? "
                        + "where experiment_key = ? and winner_arm is not null and undone_at is null",
                Timestamps.utc(clock.instant()),
                user,
                experimentKey);
        if (changed == 0) {
            throw Refusal.conflict(
                    "Experiment " + experimentKey + " has no winner decision to undo"
                            + (found.get(0).undoneAt() == null ? "." : ": it was undone already."),
                    List.of());
        }
        return view(rows(campaignId, experimentKey).get(0));
    }

    /** An ISO-8601 window: days (P28D, P4W) or a time (PT12H). */
    static Duration durationOf(String text) {
        if (text.contains("T")) {
            return Duration.parse(text);
        }
        Period period = Period.parse(text);
        return Duration.ofDays(period.toTotalMonths() * 30 + period.getDays());
    }
}
