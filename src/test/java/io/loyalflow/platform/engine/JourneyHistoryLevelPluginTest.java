package io.loyalflow.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.junit.jupiter.api.Test;

/**
 * A database created by an earlier Loyalflow at FULL starts under the {@code journey} level (and back), where the
 * engine alone refuses to start on a level other than the one the database holds.
 */
class JourneyHistoryLevelPluginTest {

    private final String url = "jdbc:h2:mem:history-level-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Test
    void aDatabaseAtFullStartsAtTheJourneyLevelAndBackAndTheEngineAloneRefusesTheChange() {
        try (var full = new Engine(ProcessEngineConfiguration.HISTORY_FULL, true)) {
            assertThat(full.storedLevel()).isEqualTo("3");
        }
        assertThatThrownBy(() -> new Engine(JourneyHistoryLevel.NAME, false).close())
                .as("without the plugin's change of level")
                .hasMessageContaining("historyLevel mismatch");
        try (var journey = new Engine(JourneyHistoryLevel.NAME, true)) {
            assertThat(journey.configuration().getHistoryLevel()).isInstanceOf(JourneyHistoryLevel.class);
            assertThat(journey.storedLevel()).isEqualTo(Integer.toString(JourneyHistoryLevel.ID));
        }
        try (var again = new Engine(JourneyHistoryLevel.NAME, true)) {
            assertThat(again.storedLevel()).isEqualTo(Integer.toString(JourneyHistoryLevel.ID));
        }
        try (var back = new Engine(ProcessEngineConfiguration.HISTORY_FULL, true)) {
            assertThat(back.storedLevel()).isEqualTo("3");
        }
    }

    private final class Engine implements AutoCloseable {

        private final ProcessEngine engine;

        Engine(String history, boolean withPlugin) {
            var configuration = new StandaloneProcessEngineConfiguration();
            configuration.setJdbcUrl(url);
            configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
            configuration.setHistory(history);
            configuration.setJobExecutorActivate(false);
            configuration.setProcessEngineName("history-level-" + UUID.randomUUID());
            if (withPlugin) {
                configuration.setProcessEnginePlugins(List.of(new JourneyHistoryLevelPlugin()));
            } else {
                configuration.setCustomHistoryLevels(List.of(new JourneyHistoryLevel()));
            }
            engine = configuration.buildProcessEngine();
        }

        ProcessEngineConfigurationImpl configuration() {
            return (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        }

        String storedLevel() {
            return engine.getManagementService().getProperties().get("historyLevel");
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
