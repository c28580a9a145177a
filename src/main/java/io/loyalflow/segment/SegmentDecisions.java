package io.loyalflow.segment;

import io.loyalflow.platform.engine.ParsedOnceFeelEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * The segment rules as analysts deployed them last: each decision's latest version is looked up
 * when a refresh starts (so a table redeployed from the Modeler applies from the next refresh, no
 * restart), parsed once per version, and evaluated by a DMN engine of its own. Bulk evaluations
 * write no history on purpose: a nightly refresh of a million customers would otherwise bury the
 * decisions that matter (those taken inside journeys, which the process engine keeps).
 */
@Component
public class SegmentDecisions {

    public static final String VALUE_TIER = "value-tier";
    public static final String TIER_CHANGE = "tier-change";
    public static final String WIN_BACK_WINDOW = "win-back-window";
    public static final String DEFECTING_BUYER = "defecting-buyer";
    public static final String BEST_CUSTOMER = "best-customer";
    public static final String BEST_CUSTOMER_PREDICTIVE = "best-customer-predictive";
    public static final String CHURN_RISK = "churn-risk";

    private final RepositoryService repositoryService;
    private final DmnEngine dmnEngine = ((DefaultDmnEngineConfiguration)
                    DmnEngineConfiguration.createDefaultDmnEngineConfiguration())
            .feelEngineFactory(ParsedOnceFeelEngine.factory())
            .buildEngine();
    private final Map<String, DmnDecision> parsed = new ConcurrentHashMap<>();
    private final AtomicLong engineEvaluations = new AtomicLong();

    /** How many evaluations reached the DMN engine since start (the others were answered from memory). */
    public long engineEvaluations() {
        return engineEvaluations.get();
    }

    SegmentDecisions(RepositoryService repositoryService) {
        this.repositoryService = repositoryService;
    }

    /** The inputs of value-tier for a customer, as both the refresh and the re-tiering on orders give them. */
    static Map<String, Object> valueTierInputs(CustomerFeatures features) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put(
                SegmentVariables.SPEND_12_MONTHS.name(),
                features.spend12Months().doubleValue());
        inputs.put(SegmentVariables.ORDERS_12_MONTHS.name(), (int) features.orders12Months());
        return inputs;
    }

    /** The inputs of churn-risk: {@code probabilityAlive} is null when the customer-value model has no prediction. */
    static Map<String, Object> churnRiskInputs(CustomerFeatures features, Double probabilityAlive) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put(
                SegmentVariables.DAYS_SINCE_LAST_ORDER.name(),
                features.daysSinceLastOrder() == null
                        ? null
                        : features.daysSinceLastOrder().intValue());
        inputs.put(SegmentVariables.PROBABILITY_ALIVE.name(), probabilityAlive);
        inputs.put(SegmentVariables.MEDIAN_INTERPURCHASE_DAYS.name(), features.medianInterpurchaseDays());
        return inputs;
    }

    /** The inputs of tier-change. */
    static Map<String, Object> tierChangeInputs(String previousTier, String newTier) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put(SegmentVariables.PREVIOUS_TIER.name(), previousTier);
        inputs.put(SegmentVariables.NEW_TIER.name(), newTier);
        return inputs;
    }

    /** The latest deployed version of a decision, ready to evaluate many times. */
    public Decision latest(String key) {
        DecisionDefinition definition = repositoryService
                .createDecisionDefinitionQuery()
                .decisionDefinitionKey(key)
                .latestVersion()
                .singleResult();
        if (definition == null) {
            throw new IllegalStateException("The decision '" + key + "' is not deployed (dmn/" + key + ".dmn)");
        }
        DmnDecision decision = parsed.computeIfAbsent(definition.getId(), id -> {
            try (InputStream model = repositoryService.getDecisionModel(id)) {
                return dmnEngine.parseDecision(key, model);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new Decision(key, definition.getVersion(), decision);
    }

    /**
     * One version of a decision. Evaluations are remembered by their inputs: a refresh asks the same
     * question (e.g. "is 63 days a win-back?") for many customers, and the table's answer cannot change
     * within one version.
     */
    public final class Decision {
        private final String key;
        private final int version;
        private final DmnDecision decision;
        private final Map<List<Object>, Map<String, Object>> answers = new ConcurrentHashMap<>();

        Decision(String key, int version, DmnDecision decision) {
            this.key = key;
            this.version = version;
            this.decision = decision;
        }

        public String key() {
            return key;
        }

        public int version() {
            return version;
        }

        /** The first matching rule's outputs by name (an empty map when no rule matches). */
        public Map<String, Object> evaluate(Map<String, Object> inputs) {
            List<Object> question = new ArrayList<>(inputs.values());
            Map<String, Object> cached = answers.get(question);
            if (cached != null) {
                return cached;
            }
            engineEvaluations.incrementAndGet();
            VariableMap variables = Variables.createVariables();
            inputs.forEach(variables::putValue);
            DmnDecisionResult result = dmnEngine.evaluateDecision(decision, variables);
            Map<String, Object> outputs = result.isEmpty() ? Map.of() : new LinkedHashMap<>(result.getFirstResult());
            if (answers.size() < 100_000) {
                answers.put(question, outputs);
            }
            return outputs;
        }

        @Override
        public String toString() {
            return key + " v" + version;
        }
    }
}
