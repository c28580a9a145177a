package io.loyalflow.journey;

import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.messaging.DeliveryQueries;
import io.loyalflow.messaging.DeliveryView;
import io.loyalflow.platform.engine.JourneyStartVariables;
import io.loyalflow.platform.engine.ProcessVariable;
import io.loyalflow.platform.problem.Refusal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricDecisionInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** One customer's story: every journey, where it stands, what was decided and sent, and why. */
@RestController
@Tag(name = "Journeys")
class JourneyController {

    private final JdbcTemplate jdbc;
    private final HistoryService history;
    private final RuntimeService runtime;
    private final DeliveryQueries deliveries;
    private final RepositoryService repository;
    private final CustomerQueries customers;

    JourneyController(
            JdbcTemplate jdbc,
            HistoryService history,
            RuntimeService runtime,
            DeliveryQueries deliveries,
            RepositoryService repository,
            CustomerQueries customers) {
        this.customers = customers;
        this.repository = repository;
        this.jdbc = jdbc;
        this.history = history;
        this.runtime = runtime;
        this.deliveries = deliveries;
    }

    record Decision(
            String decision,
            int version,
            String step,
            Instant evaluatedAt,
            Map<String, Object> inputs,
            Map<String, Object> outputs) {}

    /**
     * @param entryCause what entered the customer ({@code event:<segment event>}, {@code recurring:<day>}, {@code api})
     * @param parentJourneyId for a follow-up scenario: the journey that started it
     */
    record Journey(
            String processInstanceId,
            String businessKey,
            String campaign,
            Integer campaignRevision,
            String template,
            int templateVersion,
            String state,
            String entryCause,
            Instant startedAt,
            Instant endedAt,
            String outcome,
            List<String> currentSteps,
            List<Decision> decisions,
            List<DeliveryView> messages,
            String parentJourneyId) {}

    @Operation(
            summary = "Every journey of the customer, newest first: campaign and settings revision, template version, "
                    + "current steps, the decisions taken with their DMN inputs and outputs, the messages sent with their status "
                    + "and engagement, and follow-up scenarios")
    @GetMapping("/api/customers/{customerId}/journeys")
    List<Journey> journeys(@PathVariable String customerId) {
        Long customerKey = customers.keyOf(customerId).orElse(null);
        if (customerKey == null) {
            throw Refusal.notFound("No customer " + customerId + ".");
        }
        List<Map<String, Object>> enrollments = jdbc.queryForList(
                "select e.* from campaign_enrollment e " + "where e.customer_key = ? order by e.enrollment_key desc",
                customerKey);
        List<Journey> journeys = new ArrayList<>();
        Set<String> businessKeys = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> e : enrollments) {
            businessKeys.add((String) e.get("business_key"));
        }
        for (String businessKey : businessKeys) {
            for (HistoricProcessInstance instance : history.createHistoricProcessInstanceQuery()
                    .processInstanceBusinessKey(businessKey)
                    .orderByProcessInstanceStartTime()
                    .desc()
                    .list()) {
                if (!seen.add(instance.getId())) {
                    continue;
                }
                Map<String, Object> enrollment = enrollments.stream()
                        .filter(e -> instance.getId().equals(e.get("process_instance_id")))
                        .findFirst()
                        .orElse(null);
                journeys.add(journey(instance, enrollment, businessKey));
            }
        }
        return journeys;
    }

    private Journey journey(HistoricProcessInstance instance, Map<String, Object> enrollment, String businessKey) {
        List<String> current = new ArrayList<>();
        if (instance.getEndTime() == null) {
            ActivityInstance tree = runtime.getActivityInstance(instance.getId());
            if (tree != null) {
                leaves(tree, current);
            }
        }
        List<Decision> decisions = new ArrayList<>();
        for (HistoricDecisionInstance d : history.createHistoricDecisionInstanceQuery()
                .processInstanceId(instance.getId())
                .includeInputs()
                .includeOutputs()
                .orderByEvaluationTime()
                .asc()
                .list()) {
            Map<String, Object> inputs = new LinkedHashMap<>();
            d.getInputs()
                    .forEach(i ->
                            inputs.put(i.getClauseName() != null ? i.getClauseName() : i.getClauseId(), i.getValue()));
            Map<String, Object> outputs = new LinkedHashMap<>();
            d.getOutputs().forEach(o -> outputs.put(o.getVariableName(), o.getValue()));
            decisions.add(new Decision(
                    d.getDecisionDefinitionKey(),
                    repository
                            .getDecisionDefinition(d.getDecisionDefinitionId())
                            .getVersion(),
                    d.getActivityId(),
                    d.getEvaluationTime().toInstant(),
                    inputs,
                    outputs));
        }
        String campaign = businessKey.substring(0, businessKey.indexOf(':'));
        Integer revision = enrollment == null
                ? historicVariable(instance.getId(), JourneyStartVariables.CAMPAIGN_REVISION)
                : (Integer) enrollment.get("revision");
        String parent =
                enrollment == null ? historicVariable(instance.getId(), JourneyVariables.PARENT_JOURNEY_ID) : null;
        String outcome = enrollment != null
                ? (String) enrollment.get("exit_outcome")
                : instance.getEndTime() == null ? null : "COMPLETED";
        return new Journey(
                instance.getId(),
                businessKey,
                campaign,
                revision,
                instance.getProcessDefinitionKey(),
                instance.getProcessDefinitionVersion(),
                instance.getState(),
                enrollment == null ? "scenario" : (String) enrollment.get("entry_cause"),
                instance.getStartTime().toInstant(),
                instance.getEndTime() == null ? null : instance.getEndTime().toInstant(),
                outcome,
                current,
                decisions,
                deliveries.ofJourney(instance.getId()),
                parent);
    }

    private <T> T historicVariable(String processInstanceId, ProcessVariable<T> declared) {
        var variable = history.createHistoricVariableInstanceQuery()
                .processInstanceId(processInstanceId)
                .variableName(declared.name())
                .singleResult();
        return variable == null ? null : declared.valueOf(variable.getValue());
    }

    private static void leaves(ActivityInstance node, List<String> out) {
        if (node.getChildActivityInstances().length == 0 && node.getChildTransitionInstances().length == 0) {
            out.add(node.getActivityName() != null ? node.getActivityName() : node.getActivityId());
            return;
        }
        for (ActivityInstance child : node.getChildActivityInstances()) {
            leaves(child, out);
        }
        for (var transition : node.getChildTransitionInstances()) {
            out.add(transition.getActivityName() != null ? transition.getActivityName() : transition.getActivityId());
        }
    }
}
