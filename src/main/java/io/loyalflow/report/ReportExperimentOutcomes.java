package io.loyalflow.report;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.experiment.ExperimentOutcomes;
import io.loyalflow.platform.db.Timestamps;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputOutput;
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

    static final String AB_SPLIT = "${abSplit}";

    private final Campaigns campaigns;
    private final RepositoryService repository;
    private final NamedParameterJdbcTemplate jdbc;
    private final ReportSql sql;
    private final Clock clock;

    ReportExperimentOutcomes(
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
    }

    record SplitStep(String stepId, String armVariable) {}

    /** The split step whose experiment key, for this campaign, is {@code experimentKey}. */
    static Optional<SplitStep> split(BpmnModelInstance model, String campaignId, String experimentKey) {
        return split(model, campaignId, experimentKey, null);
    }

    private static Optional<SplitStep> split(
            BpmnModelInstance model, String campaignId, String experimentKey, String stepId) {
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            if (!AB_SPLIT.equals(task.getCamundaDelegateExpression()) || task.getExtensionElements() == null) {
                continue;
            }
            Map<String, String> inputs = new LinkedHashMap<>();
            task.getExtensionElements()
                    .getElementsQuery()
                    .filterByType(CamundaInputOutput.class)
                    .list()
                    .forEach(io -> io.getCamundaInputParameters()
                            .forEach(input -> inputs.put(
                                    input.getCamundaName(),
                                    input.getTextContent() == null
                                            ? ""
                                            : input.getTextContent().trim())));
            boolean match = stepId != null
                    ? task.getId().equals(stepId)
                    : inputs.getOrDefault("experimentKey", "")
                            .replace("${campaignKey}", campaignId)
                            .equals(experimentKey);
            if (match) {
                String variable = inputs.get("armVariable");
                return Optional.of(
                        new SplitStep(task.getId(), variable == null || variable.isBlank() ? "arm" : variable));
            }
        }
        return Optional.empty();
    }

    /** The first A/B split step of the model (document order), with the variable its arm goes to. */
    static Optional<SplitStep> firstSplit(BpmnModelInstance model) {
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            if (AB_SPLIT.equals(task.getCamundaDelegateExpression())) {
                return split(model, null, null, task.getId());
            }
        }
        return Optional.empty();
    }

    @Override
    public Map<String, ArmOutcome> outcomes(String campaignId, String experimentKey) {
        Campaign campaign = campaigns.get(campaignId);
        ProcessDefinition definition = repository
                .createProcessDefinitionQuery()
                .processDefinitionKey(campaign.template())
                .latestVersion()
                .singleResult();
        if (definition == null) {
            return Map.of();
        }
        Optional<SplitStep> split =
                split(repository.getBpmnModelInstance(definition.getId()), campaignId, experimentKey);
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
