package io.loyalflow.platform.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Offers the history level {@code journey} ({@link JourneyHistoryLevel}) and lets a database change level when
 * the configuration does. The engine keeps the level a database was created with in {@code ACT_GE_PROPERTY} and
 * refuses to start when the configuration names another one (Camunda's documented way to change it is to update
 * that row); without this, every database created at FULL by an earlier Loyalflow would stop the service at
 * its first start with the new default. History written at the old level stays as it is.
 */
@Component
public class JourneyHistoryLevelPlugin extends AbstractProcessEnginePlugin {

    private static final Logger LOG = LoggerFactory.getLogger(JourneyHistoryLevelPlugin.class);

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<HistoryLevel> levels = configuration.getCustomHistoryLevels() == null
                ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomHistoryLevels());
        levels.add(new JourneyHistoryLevel());
        configuration.setCustomHistoryLevels(levels);
    }

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        if (ProcessEngineConfiguration.HISTORY_AUTO.equalsIgnoreCase(configuration.getHistory())) {
            return;
        }
        HistoryLevel configured = configuration.getHistoryLevel();
        try (Connection connection = configuration.getDataSource().getConnection()) {
            Integer stored = storedLevel(connection, configuration);
            if (stored == null || stored == configured.getId()) {
                return;
            }
            try (PreparedStatement update = connection.prepareStatement("update "
                    + table(configuration)
                    + " set VALUE_ = ?, REV_ = REV_ + 1 where NAME_ = 'historyLevel'")) {
                update.setString(1, Integer.toString(configured.getId()));
                update.executeUpdate();
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            LOG.warn(
                    "History level changed from {} to {} ({}): history written before stays as it was written",
                    stored,
                    configured.getId(),
                    configured.getName());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read or change the engine's history level in the database", e);
        }
    }

    /** The level the database holds; null on a new database (the engine writes it itself). */
    private static Integer storedLevel(Connection connection, ProcessEngineConfigurationImpl configuration)
            throws SQLException {
        String table = table(configuration);
        try (PreparedStatement select =
                connection.prepareStatement("select VALUE_ from " + table + " where NAME_ = 'historyLevel'")) {
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Integer.valueOf(row.getString(1)) : null;
            }
        } catch (SQLException tableNotThereYet) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            return null;
        }
    }

    private static String table(ProcessEngineConfigurationImpl configuration) {
        return (configuration.getDatabaseTablePrefix() == null ? "" : configuration.getDatabaseTablePrefix())
                + "ACT_GE_PROPERTY";
    }
}
