package io.loyalflow.segment;

import static io.loyalflow.segment.SegmentRefreshProcess.Element.END_EVENT_ALREADY_RUNNING;
import static io.loyalflow.segment.SegmentRefreshProcess.Element.END_EVENT_REFRESHED;
import static io.loyalflow.segment.SegmentRefreshProcess.Element.GATEWAY_REFRESHED;
import static io.loyalflow.segment.SegmentRefreshProcess.Element.START_EVENT_SCHEDULED;
import static io.loyalflow.segment.SegmentRefreshProcess.Element.TASK_REFRESH_SEGMENTS;
import static io.loyalflow.segment.SegmentVariables.CUSTOMERS;
import static io.loyalflow.segment.SegmentVariables.REFRESH_ID;
import static io.loyalflow.segment.SegmentVariables.REFRESH_OUTCOME;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The recurring refresh, bpmn/segment-refresh.bpmn: its schedule and both of its paths. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SegmentRefreshProcessTest extends DatabaseTest {

    @Autowired
    ManagementService managementService;

    @Autowired
    HistoryService historyService;

    @Autowired
    JdbcTemplate jdbc;

    private ScheduledProcessRuns runs;

    @BeforeEach
    void runsOfTheSchedule() {
        runs = new ScheduledProcessRuns(SegmentRefreshProcess.KEY, managementService, historyService);
    }

    @BeforeEach
    void freeTheLock() {
        jdbc.update("update segment_refresh set running_id = null, running_since = null");
    }

    @Test
    void theScheduleIsDeployedWithTheServiceAsADailyTimerAt0230() {
        Job schedule = runs.scheduleJob();
        assertThat(schedule).isNotNull();
        var due = schedule.getDuedate().toInstant().atZone(ZoneId.systemDefault());
        assertThat(due.toLocalTime()).isEqualTo(LocalTime.of(2, 30));
        assertThat(schedule.getDuedate().toInstant()).isAfter(Instant.now().minusSeconds(24 * 3600));
    }

    @Test
    void aScheduledRunRefreshesTheSegmentsAndRecordsWhatItDid() {
        HistoricProcessInstance run = runs.fire();

        assertThat(run.getState()).isEqualTo("COMPLETED");
        assertThat(runs.path(run))
                .containsExactly(
                        START_EVENT_SCHEDULED.id(),
                        TASK_REFRESH_SEGMENTS.id(),
                        GATEWAY_REFRESHED.id(),
                        END_EVENT_REFRESHED.id());
        assertThat(runs.variable(run, REFRESH_OUTCOME.name())).isEqualTo("REFRESHED");
        assertThat(runs.variable(run, CUSTOMERS.name())).isInstanceOf(Long.class);
        assertThat(jdbc.queryForObject(
                        "select last_id from segment_refresh where refresh_name = 'built-in'", String.class))
                .isEqualTo(runs.variable(run, REFRESH_ID.name()));
        assertThat(runs.scheduleJob()).as("the next run is scheduled").isNotNull();
    }

    @Test
    void aRunWhileAnotherRefreshIsUnderWayIsSkipped() {
        jdbc.update(
                "update segment_refresh set running_id = 'other-node', running_since = ?",
                java.time.OffsetDateTime.now());

        HistoricProcessInstance run = runs.fire();

        assertThat(runs.path(run))
                .containsExactly(
                        START_EVENT_SCHEDULED.id(),
                        TASK_REFRESH_SEGMENTS.id(),
                        GATEWAY_REFRESHED.id(),
                        END_EVENT_ALREADY_RUNNING.id());
        assertThat(runs.variable(run, REFRESH_OUTCOME.name())).isEqualTo("ALREADY_RUNNING");
    }

    /** Runs after the others: every step of the template ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheTemplateRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(
                historyService, processEngine.getRepositoryService(), SegmentRefreshProcess.KEY);
    }
}
