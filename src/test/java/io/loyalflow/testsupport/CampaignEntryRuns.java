package io.loyalflow.testsupport;

import static io.loyalflow.journey.JourneyVariables.CAMPAIGN_ID;
import static io.loyalflow.journey.JourneyVariables.ENTRY_OUTCOMES;

import io.loyalflow.journey.CampaignEntryProcess;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.Job;

/**
 * Enters customers the way production does: the campaign-entry process's schedule fires, and its
 * jobs (one per campaign chunk) run one after another, as the job executor would run them.
 */
public final class CampaignEntryRuns {

    public static final String PROCESS = CampaignEntryProcess.KEY;

    private final ManagementService management;
    private final HistoryService history;

    public CampaignEntryRuns(ManagementService management, HistoryService history) {
        this.management = management;
        this.history = history;
    }

    /** The run's outcome per campaign: {@code ENROLLED}, {@code ALREADY_ACTIVE}, ... → count. */
    public record Run(String processInstanceId, Map<String, Map<String, Integer>> byCampaign) {

        public int enrolled(String campaign) {
            return byCampaign.getOrDefault(campaign, Map.of()).getOrDefault("ENROLLED", 0);
        }

        public Map<String, Integer> of(String campaign) {
            return byCampaign.getOrDefault(campaign, Map.of());
        }
    }

    /** Fires the schedule and runs the started run to its end. */
    public Run fire() {
        String run = start();
        runJobs(run);
        return outcomes(run);
    }

    /** Fires the schedule's timer job; returns the run it started (its jobs not run yet). */
    public String start() {
        List<String> before = runs();
        Job schedule = management
                .createJobQuery()
                .processDefinitionKey(PROCESS)
                .timers()
                .singleResult();
        management.executeJob(schedule.getId());
        return runs().stream().filter(id -> !before.contains(id)).findFirst().orElseThrow();
    }

    /** Runs the run's due jobs until none is left; a failing job's exception comes through. */
    public void runJobs(String run) {
        for (int round = 0; round < 10_000; round++) {
            List<Job> due = management
                    .createJobQuery()
                    .processInstanceId(run)
                    .executable()
                    .list();
            if (due.isEmpty()) {
                return;
            }
            management.executeJob(due.get(0).getId());
        }
        throw new AssertionError("campaign-entry run " + run + " does not end");
    }

    public Run outcomes(String run) {
        List<HistoricVariableInstance> variables = history.createHistoricVariableInstanceQuery()
                .processInstanceId(run)
                .list();
        // a campaign's branch keeps its campaignId, cursor and outcomes on the branch's own scope
        Map<String, List<HistoricVariableInstance>> byScope = variables.stream()
                .filter(v -> v.getExecutionId() != null)
                .collect(Collectors.groupingBy(HistoricVariableInstance::getExecutionId));
        Map<String, Map<String, Integer>> byCampaign = new LinkedHashMap<>();
        for (List<HistoricVariableInstance> scope : byScope.values()) {
            String campaign = value(scope, CAMPAIGN_ID.name());
            String outcomes = value(scope, ENTRY_OUTCOMES.name());
            if (campaign == null || scope.stream().noneMatch(v -> v.getName().equals(ENTRY_OUTCOMES.name()))) {
                continue;
            }
            Map<String, Integer> counts = new TreeMap<>();
            if (outcomes != null && !outcomes.isBlank()) {
                for (String part : outcomes.split(",")) {
                    String[] pair = part.trim().split("=");
                    counts.merge(pair[0], Integer.parseInt(pair[1]), Integer::sum);
                }
            }
            byCampaign.put(campaign, counts);
        }
        return new Run(run, byCampaign);
    }

    private static String value(List<HistoricVariableInstance> scope, String name) {
        return scope.stream()
                .filter(v -> v.getName().equals(name))
                .map(v -> v.getValue() == null ? null : v.getValue().toString())
                .findFirst()
                .orElse(null);
    }

    private List<String> runs() {
        return history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS).list().stream()
                .map(HistoricProcessInstance::getId)
                .toList();
    }
}
