package io.loyalflow.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The job executor acquires by due date over an index, and jobs an engine created without a due date
 * (before this setting) are still run after an upgrade.
 */
@Tag("database")
class JobAcquisitionPluginTest {

    private static final BpmnModelInstance ONE_ASYNC_STEP = Bpmn.createExecutableProcess("Process_OneAsyncStep")
            .camundaHistoryTimeToLive(1)
            .startEvent()
            .serviceTask("Task_Noop")
            .camundaAsyncBefore()
            .camundaExpression("${true}")
            .endEvent()
            .done();

    private TestDatabase database;
    private DataSource dataSource;
    private final List<ProcessEngine> engines = new ArrayList<>();

    @BeforeEach
    void freshDatabase() {
        database = TestDatabase.create();
        dataSource = new DriverManagerDataSource(database.url(), database.username(), database.password());
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(ProcessEngine::close);
    }

    private ProcessEngine engine(boolean jobExecutor, ProcessEnginePlugin... plugins) {
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration()
                        .setDataSource(dataSource)
                        .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                        .setProcessEngineName("job-acquisition-" + UUID.randomUUID())
                        .setJobExecutorActivate(jobExecutor);
        configuration.setProcessEnginePlugins(List.of(plugins));
        ProcessEngine engine = configuration.buildProcessEngine();
        engines.add(engine);
        return engine;
    }

    @Test
    void theJobExecutorLocksJobsUnderTheNodesHostnameFollowedByARandomPart() {
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration()
                        .setDataSource(dataSource)
                        .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                        .setProcessEngineName("job-acquisition-" + UUID.randomUUID())
                        .setJobExecutorActivate(false);
        configuration.setHostname("node-a");
        configuration.setProcessEnginePlugins(List.of(new JobAcquisitionPlugin(dataSource)));
        ProcessEngine engine = configuration.buildProcessEngine();
        engines.add(engine);
        String lockOwner = configuration.getJobExecutor().getLockOwner();
        assertThat(lockOwner).startsWith("node-a/");
        assertThat(lockOwner.substring("node-a/".length())).isNotEmpty().doesNotContain("/");

        ProcessEngine another = engine(false, new JobAcquisitionPlugin(dataSource));
        assertThat(((ProcessEngineConfigurationImpl) another.getProcessEngineConfiguration())
                        .getJobExecutor()
                        .getLockOwner())
                .as("without a hostname setting, Camunda's default (address$engine name) comes first")
                .startsWith(
                        ((ProcessEngineConfigurationImpl) another.getProcessEngineConfiguration()).getHostname() + "/")
                .isNotEqualTo(lockOwner);
    }

    @Test
    void everyNewJobHasADueDateAndTheEngineAcquiresByIt() {
        ProcessEngine engine = engine(false, new JobAcquisitionPlugin(dataSource));
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        assertThat(configuration.isJobExecutorAcquireByDueDate()).isTrue();
        assertThat(configuration.isEnsureJobDueDateNotNull()).isTrue();

        engine.getRepositoryService()
                .createDeployment()
                .addModelInstance("one-async-step.bpmn", ONE_ASYNC_STEP)
                .deploy();
        engine.getRuntimeService().startProcessInstanceByKey("Process_OneAsyncStep");

        Job job = engine.getManagementService().createJobQuery().singleResult();
        assertThat(job.getDuedate()).isNotNull();
        // "due now": the engine reads the clock for the due date and the creation time separately
        assertThat(job.getDuedate()).isCloseTo(job.getCreateTime(), 1_000);
    }

    @Test
    void theDueDateIsIndexed() throws SQLException {
        engine(false, new JobAcquisitionPlugin(dataSource));
        engine(false, new JobAcquisitionPlugin(dataSource)); // a restart finds the index there

        assertThat(indexedColumns(JobAcquisitionPlugin.DUE_DATE_INDEX)).containsExactly("DUEDATE_");
    }

    @Test
    void jobsCreatedWithoutADueDateBeforeTheUpgradeStillRun() throws InterruptedException {
        ProcessEngine before = engine(false);
        before.getRepositoryService()
                .createDeployment()
                .addModelInstance("one-async-step.bpmn", ONE_ASYNC_STEP)
                .deploy();
        for (int i = 0; i < 3; i++) {
            before.getRuntimeService().startProcessInstanceByKey("Process_OneAsyncStep");
        }
        assertThat(before.getManagementService().createJobQuery().list())
                .hasSize(3)
                .allSatisfy(job -> assertThat(job.getDuedate()).isNull());
        before.close();
        engines.remove(before);

        ProcessEngine after = engine(true, new JobAcquisitionPlugin(dataSource));

        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (after.getRuntimeService().createProcessInstanceQuery().count() > 0
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(after.getRuntimeService().createProcessInstanceQuery().count())
                .as("instances whose jobs the upgraded job executor ran to the end")
                .isZero();
        assertThat(after.getHistoryService()
                        .createHistoricActivityInstanceQuery()
                        .activityId("Task_Noop")
                        .finished()
                        .count())
                .isEqualTo(3);
    }

    private List<String> indexedColumns(String index) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            boolean upper = connection.getMetaData().storesUpperCaseIdentifiers();
            try (ResultSet rows = connection
                    .getMetaData()
                    .getIndexInfo(null, null, upper ? "ACT_RU_JOB" : "act_ru_job", false, false)) {
                while (rows.next()) {
                    if (index.equalsIgnoreCase(rows.getString("INDEX_NAME"))) {
                        columns.add(rows.getString("COLUMN_NAME").toUpperCase(Locale.ROOT));
                    }
                }
            }
        }
        return columns;
    }
}
