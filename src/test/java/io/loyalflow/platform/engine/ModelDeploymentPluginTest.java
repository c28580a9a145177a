package io.loyalflow.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.TestDatabase;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** What the service deploys at start from bpmn/ and dmn/, on a real engine over the test database. */
@Tag("database")
class ModelDeploymentPluginTest {

    private ProcessEngine engine;
    private RepositoryService repository;

    @BeforeEach
    void startEngine() {
        TestDatabase database = TestDatabase.create();
        engine = ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration()
                .setJdbcUrl(database.url())
                .setJdbcUsername(database.username())
                .setJdbcPassword(database.password())
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setProcessEngineName("model-deployment-" + UUID.randomUUID())
                .setJobExecutorActivate(false)
                .buildProcessEngine();
        repository = engine.getRepositoryService();
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private void startServiceWith(String folder) {
        new ModelDeploymentPlugin(new ModelDeploymentPlugin.ModelLocations(List.of(
                        "classpath*:model-deployment/" + folder + "/*.bpmn",
                        "classpath*:model-deployment/" + folder + "/*.dmn")))
                .postProcessEngineBuild(engine);
    }

    private Map<String, Integer> latestVersions() {
        Map<String, Integer> versions = repository.createProcessDefinitionQuery().latestVersion().list().stream()
                .collect(Collectors.toMap(ProcessDefinition::getKey, ProcessDefinition::getVersion));
        repository
                .createDecisionDefinitionQuery()
                .latestVersion()
                .list()
                .forEach(decision -> versions.put(decision.getKey(), decision.getVersion()));
        return versions;
    }

    @Test
    void everyModelIsDeployedAtFirstStartThenOnlyChangedFilesBecomeNewVersions() {
        startServiceWith("v1");
        assertThat(latestVersions())
                .containsExactlyInAnyOrderEntriesOf(Map.of("Process_Alpha", 1, "Process_Beta", 1, "Decision_Check", 1));
        assertThat(repository.createDeploymentQuery().singleResult().getSource())
                .isEqualTo("loyalflow-service");

        startServiceWith("v1");
        assertThat(repository.createDeploymentQuery().count())
                .as("a restart with unchanged files deploys nothing")
                .isOne();

        startServiceWith("v2");
        assertThat(latestVersions())
                .containsExactlyInAnyOrderEntriesOf(Map.of("Process_Alpha", 2, "Process_Beta", 1, "Decision_Check", 1));
        assertThat(repository
                        .createProcessDefinitionQuery()
                        .processDefinitionKey("Process_Alpha")
                        .latestVersion()
                        .singleResult()
                        .getName())
                .isEqualTo("Alpha, changed by an analyst");
    }

    @Test
    void aNewerVersionDeployedFromModelerStaysTheLatestAcrossRestarts() throws IOException {
        startServiceWith("v1");
        repository
                .createDeployment()
                .name("Process_Alpha")
                .source("Camunda Modeler")
                .addInputStream(
                        "Process_Alpha.bpmn",
                        new ClassPathResource("model-deployment/v2/Process_Alpha.bpmn").getInputStream())
                .deploy();
        assertThat(latestVersions()).containsEntry("Process_Alpha", 2);

        startServiceWith("v1");
        assertThat(latestVersions()).containsEntry("Process_Alpha", 2);
        assertThat(repository.createDeploymentQuery().count()).isEqualTo(2);
    }

    @Test
    void anEmptyModelFolderDeploysNothing() {
        startServiceWith("none");
        assertThat(repository.createDeploymentQuery().count()).isZero();
    }
}
