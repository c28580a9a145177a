package io.loyalflow.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.DatabaseTest;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.loyalflow.testsupport.FlowNodeCoverage;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
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

  @BeforeEach
  void freeTheLock() {
    jdbc.update("update segment_refresh set running_id = null, running_since = null");
  }

  private Job scheduleJob() {
    return managementService.createJobQuery().processDefinitionKey("segment-refresh").timers().singleResult();
  }

  /** Fires the schedule (a timer start job), then runs the refresh task's job; returns the finished instance. */
  private HistoricProcessInstance fire() {
    Job schedule = scheduleJob();
    List<String> before = historyService.createHistoricProcessInstanceQuery().processDefinitionKey("segment-refresh")
        .list().stream().map(HistoricProcessInstance::getId).toList();
    managementService.executeJob(schedule.getId());
    HistoricProcessInstance started = historyService.createHistoricProcessInstanceQuery()
        .processDefinitionKey("segment-refresh").list().stream().filter(p -> !before.contains(p.getId()))
        .findFirst().orElseThrow();
    Job refresh = managementService.createJobQuery().processInstanceId(started.getId()).singleResult();
    managementService.executeJob(refresh.getId());
    return historyService.createHistoricProcessInstanceQuery().processInstanceId(started.getId()).singleResult();
  }

  private List<String> path(HistoricProcessInstance instance) {
    return historyService.createHistoricActivityInstanceQuery().processInstanceId(instance.getId())
        .orderByHistoricActivityInstanceStartTime().asc().orderPartiallyByOccurrence().asc().list().stream()
        .map(HistoricActivityInstance::getActivityId).toList();
  }

  private Object variable(HistoricProcessInstance instance, String name) {
    var found = historyService.createHistoricVariableInstanceQuery().processInstanceId(instance.getId())
        .variableName(name).singleResult();
    return found == null ? null : found.getValue();
  }

  @Test
  void theScheduleIsDeployedWithTheServiceAsADailyTimerAt0230() {
    Job schedule = scheduleJob();
    assertThat(schedule).isNotNull();
    var due = schedule.getDuedate().toInstant().atZone(ZoneId.systemDefault());
    assertThat(due.toLocalTime()).isEqualTo(LocalTime.of(2, 30));
    assertThat(schedule.getDuedate().toInstant()).isAfter(Instant.now().minusSeconds(24 * 3600));
  }

  @Test
  void aScheduledRunRefreshesTheSegmentsAndRecordsWhatItDid() {
    HistoricProcessInstance run = fire();

    assertThat(run.getState()).isEqualTo("COMPLETED");
    assertThat(path(run)).containsExactly("StartEvent_Scheduled", "Task_RefreshSegments", "Gateway_Refreshed",
        "EndEvent_Refreshed");
    assertThat(variable(run, "refreshOutcome")).isEqualTo("REFRESHED");
    assertThat(variable(run, "customers")).isInstanceOf(Long.class);
    assertThat(jdbc.queryForObject("select last_id from segment_refresh where refresh_name = 'built-in'",
        String.class)).isEqualTo(variable(run, "refreshId"));
    assertThat(scheduleJob()).as("the next run is scheduled").isNotNull();
  }

  @Test
  void aRunWhileAnotherRefreshIsUnderWayIsSkipped() {
    jdbc.update("update segment_refresh set running_id = 'other-node', running_since = ?",
        java.time.OffsetDateTime.now());

    HistoricProcessInstance run = fire();

    assertThat(path(run)).containsExactly("StartEvent_Scheduled", "Task_RefreshSegments", "Gateway_Refreshed",
        "EndEvent_AlreadyRunning");
    assertThat(variable(run, "refreshOutcome")).isEqualTo("ALREADY_RUNNING");
  }

  /** Runs after the others: every step of the template ran in one of them. */
  @Test
  @Order(Integer.MAX_VALUE)
  void everyStepOfTheTemplateRan() {
    FlowNodeCoverage.assertEveryFlowNodeRan(historyService, processEngine.getRepositoryService(), "segment-refresh");
  }
}
