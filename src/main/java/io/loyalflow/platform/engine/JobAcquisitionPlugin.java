package io.loyalflow.platform.engine;

import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.runtime.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps job acquisition fast while many journeys wait. Every waiting journey holds a timer row in
 * {@code ACT_RU_JOB}; Camunda's default acquisition (any due job, no order) makes the database read
 * past all of those future timers to find the few jobs that are due: 199 ms an acquisition at
 * 150,000 rows on PostgreSQL, which capped the job executor at about 45 jobs a second
 * (docs/performance.md). Acquiring by due date, with every job given a due date and an index on it,
 * turns that into a short index range scan whatever the number of waiting journeys.
 *
 * <p>With due dates required the executor no longer acquires a job whose due date is empty, so jobs
 * created before this setting (or by a node still running without it) get their creation time as
 * due date when the engine starts.
 *
 * <p>In a cluster, each node's job executor locks jobs under a name that starts with the node's engine
 * hostname (Camunda's {@code hostname} setting, also written to every job log entry), then a random part:
 * {@code ACT_RU_JOB.LOCK_OWNER_} shows which node holds a job, e.g. the jobs a node held when it died.
 */
@Component
class JobAcquisitionPlugin extends AbstractProcessEnginePlugin {

    static final String DUE_DATE_INDEX = "LF_IDX_JOB_DUEDATE";
    private static final int PAGE = 500;
    private static final Logger log = LoggerFactory.getLogger(JobAcquisitionPlugin.class);

    private final JdbcTemplate jdbc;

    public JobAcquisitionPlugin(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setJobExecutorAcquireByDueDate(true);
        configuration.setEnsureJobDueDateNotNull(true);
    }

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        JobExecutor executor = configuration.getJobExecutor();
        if (executor != null && configuration.getHostname() != null) {
            executor.setLockOwner(lockOwner(configuration.getHostname(), executor.getLockOwner()));
        }
    }

    /** The node's hostname, then the executor's own random lock owner (unique even if two nodes share a name). */
    static String lockOwner(String hostname, String randomOwner) {
        String prefix = hostname.length() > 150 ? hostname.substring(0, 150) : hostname;
        return prefix + "/" + randomOwner;
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        ensureDueDateIndex();
        giveDueDatesToJobsWithout(engine.getManagementService());
    }

    private void ensureDueDateIndex() {
        try {
            jdbc.execute("create index if not exists " + DUE_DATE_INDEX + " on ACT_RU_JOB (DUEDATE_)");
        } catch (DataAccessException raced) {
            // Two nodes starting together may both try to create it; one of them wins.
            log.info(
                    "Index {} not created by this node ({}); another node may have created it",
                    DUE_DATE_INDEX,
                    raced.getMostSpecificCause().getMessage());
        }
    }

    private void giveDueDatesToJobsWithout(ManagementService management) {
        String jobTable = management.getTableName(Job.class);
        int updated = 0;
        int updatedInPage;
        List<Map<String, Object>> withoutDueDate;
        do {
            // The job query has no "due date is empty" filter: the ids are read with SQL, the change goes
            // through the engine's API.
            withoutDueDate = jdbc.queryForList("select ID_, CREATE_TIME_ from " + jobTable
                    + " where DUEDATE_ is null order by ID_ fetch first " + PAGE + " rows only");
            updatedInPage = 0;
            for (Map<String, Object> job : withoutDueDate) {
                Object created = job.get("CREATE_TIME_");
                try {
                    management.setJobDuedate((String) job.get("ID_"), created instanceof Date date ? date : new Date());
                    updatedInPage++;
                } catch (ProcessEngineException goneOrChanged) {
                    // Run and deleted by a node still on the old acquisition, or changed by it meanwhile.
                    log.debug("Job {} not given a due date: {}", job.get("ID_"), goneOrChanged.getMessage());
                }
            }
            updated += updatedInPage;
        } while (withoutDueDate.size() == PAGE && updatedInPage > 0);
        if (updated > 0) {
            log.info(
                    "Gave {} job(s) without a due date their creation time as due date, so the job executor acquires them",
                    updated);
        }
    }
}
