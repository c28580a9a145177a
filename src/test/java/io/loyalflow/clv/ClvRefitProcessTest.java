package io.loyalflow.clv;

import static io.loyalflow.clv.ClvRefitProcess.Element.END_EVENT_ALREADY_RUNNING;
import static io.loyalflow.clv.ClvRefitProcess.Element.END_EVENT_FITTED;
import static io.loyalflow.clv.ClvRefitProcess.Element.END_EVENT_TOO_LITTLE_HISTORY;
import static io.loyalflow.clv.ClvRefitProcess.Element.GATEWAY_FITTED;
import static io.loyalflow.clv.ClvRefitProcess.Element.START_EVENT_SCHEDULED;
import static io.loyalflow.clv.ClvRefitProcess.Element.TASK_FIT_MODEL;
import static io.loyalflow.clv.ClvVariables.CONVERGED;
import static io.loyalflow.clv.ClvVariables.CUSTOMERS;
import static io.loyalflow.clv.ClvVariables.FIT_OUTCOME;
import static io.loyalflow.clv.ClvVariables.FIT_VERSION;
import static io.loyalflow.clv.ClvVariables.REASON;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.order.OrderImporter;
import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.FlowNodeCoverage;
import io.loyalflow.testsupport.ScheduledProcessRuns;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The nightly refit, bpmn/clv-refit.bpmn: its schedule and its three paths. "Today" is moved into the
 * CDNOW period so the orders the fit sees are the demo's, whatever else the test database holds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClvRefitProcessTest extends DatabaseTest {

    @Autowired
    ManagementService managementService;

    @Autowired
    HistoryService historyService;

    @Autowired
    JdbcTemplate jdbc;

    private ScheduledProcessRuns runs;

    @BeforeEach
    void runsOfTheSchedule() {
        runs = new ScheduledProcessRuns(ClvRefitProcess.KEY, managementService, historyService);
    }

    @Autowired
    OrderImporter importer;

    @BeforeEach
    void demoDataAndNoFitRunning() throws Exception {
        new io.loyalflow.demo.CdnowDemoAccess(importer).load();
        jdbc.update("update clv_fit_claim set running_id = null, running_since = null");
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void theScheduleIsADailyTimerAt0200BeforeTheSegmentRefresh() {
        Job schedule = runs.scheduleJob();
        assertThat(schedule).isNotNull();
        assertThat(schedule.getDuedate()
                        .toInstant()
                        .atZone(ZoneId.systemDefault())
                        .toLocalTime())
                .isEqualTo(LocalTime.of(2, 0));
    }

    @Test
    void aScheduledRunFitsOnTheOrdersUpToTodayAndStoresANewVersion() {
        clock.set(Instant.parse("1998-07-01T12:00:00Z"));

        HistoricProcessInstance run = runs.fire();

        assertThat(runs.path(run))
                .containsExactly(
                        START_EVENT_SCHEDULED.id(), TASK_FIT_MODEL.id(), GATEWAY_FITTED.id(), END_EVENT_FITTED.id());
        long version = (Long) runs.variable(run, FIT_VERSION.name());
        assertThat(runs.variable(run, FIT_OUTCOME.name())).isEqualTo("FITTED");
        assertThat(runs.variable(run, CUSTOMERS.name())).isEqualTo(23_570);
        assertThat(runs.variable(run, CONVERGED.name())).isEqualTo(true);
        assertThat(jdbc.queryForObject(
                                "select calibration_end from clv_fit where fit_version = ?",
                                java.sql.Date.class,
                                version)
                        .toLocalDate())
                .isEqualTo(java.time.LocalDate.of(1998, 7, 1));
        assertThat(jdbc.queryForObject(
                        "select count(*) from customer_value where fit_version = ?", Long.class, version))
                .isEqualTo(23_570L);
        assertThat(runs.scheduleJob()).as("the next run is scheduled").isNotNull();
    }

    @Test
    void withTooLittleHistoryNothingIsFitted() {
        clock.set(Instant.parse("1997-01-01T23:00:00Z"));

        HistoricProcessInstance run = runs.fire();

        assertThat(runs.path(run))
                .containsExactly(
                        START_EVENT_SCHEDULED.id(),
                        TASK_FIT_MODEL.id(),
                        GATEWAY_FITTED.id(),
                        END_EVENT_TOO_LITTLE_HISTORY.id());
        assertThat(runs.variable(run, FIT_OUTCOME.name())).isEqualTo("INSUFFICIENT_DATA");
        assertThat((String) runs.variable(run, REASON.name())).contains("repeat buyers");
    }

    @Test
    void aRunWhileAnotherFitIsUnderWayIsSkipped() {
        jdbc.update(
                "update clv_fit_claim set running_id = 'other-node', running_since = ?",
                java.time.OffsetDateTime.now());

        HistoricProcessInstance run = runs.fire();

        assertThat(runs.path(run))
                .containsExactly(
                        START_EVENT_SCHEDULED.id(),
                        TASK_FIT_MODEL.id(),
                        GATEWAY_FITTED.id(),
                        END_EVENT_ALREADY_RUNNING.id());
        assertThat(runs.variable(run, FIT_OUTCOME.name())).isEqualTo("ALREADY_RUNNING");
    }

    /** Runs after the others: every step of the process ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheTemplateRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(
                historyService, processEngine.getRepositoryService(), ClvRefitProcess.KEY);
    }
}
