package io.loyalflow.segment;

import static io.loyalflow.segment.SegmentVariables.DAYS_SINCE_LAST_ORDER;
import static io.loyalflow.segment.SegmentVariables.NEW_TIER;
import static io.loyalflow.segment.SegmentVariables.ORDERS_12_MONTHS;
import static io.loyalflow.segment.SegmentVariables.PREVIOUS_TIER;
import static io.loyalflow.segment.SegmentVariables.SPEND_12_MONTHS;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.DatabaseTest;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camunda.bpm.dmn.engine.DmnDecisionTableResult;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The segment decision tables of {@code dmn/} are deployed when the service starts and run on the
 * engine's own DMN engine. The tables' rules are tested in {@link DecisionTablesTest}.
 */
class DecisionDeploymentTest extends DatabaseTest {

    static final String SERVICE_SOURCE = "loyalflow-service";

    @Autowired
    RepositoryService repository;

    @Autowired
    DecisionService decisionService;

    /** The versions the service deployed itself (other tests may deploy newer ones, as analysts do from Modeler). */
    private Map<String, DecisionDefinition> deployedByTheService() {
        Set<String> serviceDeployments =
                repository.createDeploymentQuery().deploymentSource(SERVICE_SOURCE).list().stream()
                        .map(Deployment::getId)
                        .collect(Collectors.toSet());
        return repository.createDecisionDefinitionQuery().orderByDecisionDefinitionVersion().asc().list().stream()
                .filter(definition -> DecisionTablesTest.DECISION_KEYS.contains(definition.getKey()))
                .filter(definition -> serviceDeployments.contains(definition.getDeploymentId()))
                .collect(Collectors.toMap(DecisionDefinition::getKey, Function.identity(), (older, newer) -> newer));
    }

    @Test
    void everySegmentTableIsDeployedAtStartWithAHistoryTimeToLive() {
        Map<String, DecisionDefinition> deployed = deployedByTheService();

        assertThat(deployed).containsOnlyKeys(DecisionTablesTest.DECISION_KEYS);
        assertThat(deployed.values()).allSatisfy(definition -> {
            assertThat(definition.getResourceName()).isEqualTo(definition.getKey() + ".dmn");
            assertThat(definition.getName()).isNotBlank();
            assertThat(definition.getHistoryTimeToLive())
                    .as("historyTimeToLive of %s", definition.getKey())
                    .isNotNull()
                    .isPositive();
        });
    }

    @Test
    void theDeployedEngineEvaluatesTheTables() {
        DecisionDefinition valueTier = deployedByTheService().get("value-tier");

        DmnDecisionTableResult result = decisionService
                .evaluateDecisionTableByKey("value-tier")
                .version(valueTier.getVersion())
                .variables(Variables.createVariables()
                        .putValue(SPEND_12_MONTHS.name(), 1000.0)
                        .putValue(ORDERS_12_MONTHS.name(), 6))
                .evaluate();

        assertThat(result.getResultList()).hasSize(1);
        assertThat(result.getSingleResult().getEntryMap())
                .containsExactlyInAnyOrderEntriesOf(Map.of("tier", "Platinum", "tierRank", 4));

        DmnDecisionTableResult firstTier = decisionService
                .evaluateDecisionTableByKey("tier-change")
                .version(deployedByTheService().get("tier-change").getVersion())
                .variables(Variables.createVariables()
                        .putValue(PREVIOUS_TIER.name(), null)
                        .putValue(NEW_TIER.name(), "Gold"))
                .evaluate();
        assertThat((String) firstTier.getSingleEntry()).isEqualTo("NEW");

        DmnDecisionTableResult window = decisionService
                .evaluateDecisionTableByKey("win-back-window")
                .version(deployedByTheService().get("win-back-window").getVersion())
                .variables(Variables.createVariables().putValue(DAYS_SINCE_LAST_ORDER.name(), null))
                .evaluate();
        assertThat((Boolean) window.getSingleEntry()).isFalse();
    }
}
