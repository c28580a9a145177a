package io.loyalflow.platform.retention;

import static io.loyalflow.platform.db.Timestamps.utc;
import static io.loyalflow.platform.retention.RetentionVariables.BATCHES;
import static io.loyalflow.platform.retention.RetentionVariables.CLEANUP_OUTCOME;
import static io.loyalflow.platform.retention.RetentionVariables.ROWS_DELETED;
import static io.loyalflow.platform.retention.StorageCleanupProcess.Element.END_EVENT_CLEANED_UP;
import static io.loyalflow.platform.retention.StorageCleanupProcess.Element.END_EVENT_WINDOW_CLOSED;
import static io.loyalflow.platform.retention.StorageCleanupProcess.Element.GATEWAY_MORE;
import static io.loyalflow.platform.retention.StorageCleanupProcess.Element.START_EVENT_SCHEDULED;
import static io.loyalflow.platform.retention.StorageCleanupProcess.Element.TASK_DELETE_EXPIRED_ROWS;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.FlowNodeCoverage;
import io.loyalflow.testsupport.ScheduledProcessRuns;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

/**
 * The nightly storage-cleanup process, bpmn/storage-cleanup.bpmn, through the whole service: its schedule fired as
 * the engine would, the modules' cleanups in batches of 5 with 2 batches a job (the test profile), the re-entry
 * rule after old enrollments went, and the window. "Now" is moved to 1992, so that only this test's rows (dated
 * 1990 and 1991) are old enough to go, whatever else the shared test database holds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageCleanupTest extends DatabaseTest {

    private static final Instant RUN_AT = Instant.parse("1992-01-01T03:45:00Z");
    private static final Instant LONG_AGO = Instant.parse("1990-06-01T10:00:00Z");
    /** Older than 90 days before the run, younger than 400 days. */
    private static final Instant MONTHS_AGO = Instant.parse("1991-06-01T10:00:00Z");

    private static final Instant RECENTLY = Instant.parse("1991-12-20T10:00:00Z");

    @Autowired
    ManagementService managementService;

    @Autowired
    HistoryService historyService;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    private ScheduledProcessRuns runs;
    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void runsOfTheSchedule() {
        runs = new ScheduledProcessRuns(StorageCleanupProcess.KEY, managementService, historyService);
    }

    private long customer(String id) {
        as(SERVICE)
                .body(Map.of("email", id + "@example.com"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201);
        return jdbc.queryForObject("select customer_key from customer where customer_id = ?", Long.class, id);
    }

    private void delivery(String id, long customerKey, String status, Instant createdAt) {
        jdbc.update(
                "insert into delivery (delivery_id, customer_key, channel, test, gate_decision, status, counted, "
                        + "attempts, created_at, updated_at) values (?, ?, 'EMAIL', false, 'SEND', ?, true, 1, ?, ?)",
                id,
                customerKey,
                status,
                utc(createdAt),
                utc(createdAt));
        jdbc.update(
                "insert into delivery_event (delivery_id, kind, occurred_at, recorded_at) values (?, 'DELIVERED', ?, ?)",
                id,
                utc(createdAt),
                utc(createdAt));
    }

    private void providerEvent(String id, Instant receivedAt, boolean applied) {
        jdbc.update(
                "insert into provider_event (source, event_id, payload, received_at, applied_at, outcome) "
                        + "values ('SENDGRID', ?, '{}', ?, ?, ?)",
                id,
                utc(receivedAt),
                applied ? utc(receivedAt) : null,
                applied ? "APPLIED" : null);
    }

    private void segmentEvent(long customerKey, Instant occurredAt) {
        jdbc.update(
                "insert into segment_event (kind, segment_id, customer_key, occurred_at, cause) "
                        + "values ('SEGMENT_ENTERED', ?, ?, ?, 'retention-test')",
                "retention-" + tag,
                customerKey,
                utc(occurredAt));
    }

    private void customerEvent(long customerKey, String id, Instant receivedAt) {
        jdbc.update(
                "insert into customer_event (customer_key, event_id, event_type, occurred_at, received_at, woke) "
                        + "values (?, ?, 'StoreVisited', ?, ?, '')",
                customerKey,
                id,
                utc(receivedAt),
                utc(receivedAt));
    }

    private int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    private double counter(String name, String tagName, String tagValue) {
        Counter found = meters.find(name).tag(tagName, tagValue).counter();
        return found == null ? 0 : found.count();
    }

    /** Fires the schedule and runs the instance's jobs one by one until it ends; returns how many jobs ran. */
    private int runToTheEnd(HistoricProcessInstance started) {
        int jobs = 1;
        for (Job next = nextJob(started); next != null; next = nextJob(started)) {
            managementService.executeJob(next.getId());
            jobs++;
        }
        return jobs;
    }

    private Job nextJob(HistoricProcessInstance run) {
        return managementService.createJobQuery().processInstanceId(run.getId()).singleResult();
    }

    private HistoricProcessInstance finished(HistoricProcessInstance run) {
        return historyService
                .createHistoricProcessInstanceQuery()
                .processInstanceId(run.getId())
                .singleResult();
    }

    @Test
    @Order(1)
    void expiredRowsGoInBatchesOfTheirOwnRecentAndUnfinishedOnesStay() {
        clock.set(RUN_AT.minus(Duration.ofDays(1)));
        long customer = customer("retention-" + tag);
        for (int i = 0; i < 12; i++) {
            delivery("old-" + tag + "-" + i, customer, "DELIVERED", LONG_AGO);
            providerEvent("old-" + tag + "-" + i, MONTHS_AGO, true);
            segmentEvent(customer, LONG_AGO);
            customerEvent(customer, "old-" + tag + "-" + i, LONG_AGO);
        }
        delivery("deferred-" + tag, customer, "DEFERRED", LONG_AGO);
        delivery("recent-" + tag, customer, "DELIVERED", RECENTLY);
        providerEvent("pending-" + tag, MONTHS_AGO, false);
        providerEvent("recent-" + tag, RECENTLY, true);
        customerEvent(customer, "recent-" + tag, RECENTLY);
        segmentEvent(customer, RECENTLY);
        double deliveryBatches = counter("loyalflow.retention.batches", "cleanup", "delivery");
        double deliveriesDeleted = counter("loyalflow.retention.deleted", "table", "delivery");
        double deliveryEventsDeleted = counter("loyalflow.retention.deleted", "table", "delivery_event");

        clock.set(RUN_AT);
        HistoricProcessInstance run = runs.fire();
        int jobs = runToTheEnd(run);
        run = finished(run);

        assertThat(run.getState()).isEqualTo("COMPLETED");
        assertThat(jobs).as("jobs of 2 batches each").isGreaterThanOrEqualTo(7);
        assertThat(runs.path(run))
                .startsWith(START_EVENT_SCHEDULED.id(), TASK_DELETE_EXPIRED_ROWS.id(), GATEWAY_MORE.id())
                .endsWith(TASK_DELETE_EXPIRED_ROWS.id(), GATEWAY_MORE.id(), END_EVENT_CLEANED_UP.id());
        assertThat(runs.variable(run, CLEANUP_OUTCOME.name())).isEqualTo("DONE");
        assertThat((String) runs.variable(run, ROWS_DELETED.name()))
                .contains(
                        "delivery=12", "delivery_event=12", "provider_event=", "customer_event=12", "segment_event=12");
        assertThat((Integer) runs.variable(run, BATCHES.name())).isGreaterThanOrEqualTo(13);

        // 12 deliveries in batches of 5: three batches, each its own transaction
        assertThat(counter("loyalflow.retention.batches", "cleanup", "delivery") - deliveryBatches)
                .isEqualTo(3);
        assertThat(counter("loyalflow.retention.deleted", "table", "delivery") - deliveriesDeleted)
                .isEqualTo(12);
        assertThat(counter("loyalflow.retention.deleted", "table", "delivery_event") - deliveryEventsDeleted)
                .isEqualTo(12);

        assertThat(jdbc.queryForList(
                        "select delivery_id from delivery where customer_key = ? order by delivery_id",
                        String.class,
                        customer))
                .as("a deferred message waits to be sent, a recent one stays")
                .containsExactly("deferred-" + tag, "recent-" + tag);
        assertThat(count(
                        "select count(*) from delivery_event where delivery_id in (?, ?)",
                        "deferred-" + tag,
                        "recent-" + tag))
                .isEqualTo(2);
        assertThat(jdbc.queryForList(
                        "select event_id from provider_event where event_id like ? order by event_id",
                        String.class,
                        "%-" + tag + "%"))
                .as("an event not applied yet stays, whatever its age")
                .containsExactly("pending-" + tag, "recent-" + tag);
        assertThat(jdbc.queryForList(
                        "select occurred_at from segment_event where segment_id = ?", Object.class, "retention-" + tag))
                .hasSize(1);
        assertThat(jdbc.queryForList(
                        "select event_id from customer_event where customer_key = ?", String.class, customer))
                .containsExactly("recent-" + tag);
        assertThat(runs.scheduleJob()).as("the next run is scheduled").isNotNull();
    }

    @Test
    @Order(2)
    void aOnceCampaignStillRefusesACustomerWhoseOldEnrollmentsWereDeleted() {
        clock.set(RUN_AT.minus(Duration.ofDays(1)));
        processEngine
                .getRepositoryService()
                .createDeployment()
                .name("ends-at-once-test")
                .enableDuplicateFiltering(true)
                .addClasspathResource("journey/ends-at-once-test.bpmn")
                .deploy();
        String campaign = "keep-" + tag;
        Map<String, Object> afterExit = Map.of(
                "id",
                campaign,
                "name",
                "Entered twice, then once only",
                "template",
                "ends-at-once-test",
                "settings",
                Map.of("trigger", Map.of("type", "API_ONLY"), "reentry", Map.of("policy", "AFTER_EXIT")));
        as(ANALYST).body(afterExit).post("/api/campaigns").then().statusCode(201);
        as(ANALYST).post("/api/campaigns/{id}/activate", campaign).then().statusCode(200);
        String customerId = "twice-" + tag;
        long customer = customer(customerId);
        for (int i = 0; i < 2; i++) {
            as(SERVICE)
                    .body(Map.of("customerId", customerId))
                    .post("/api/campaigns/{id}/enrollments", campaign)
                    .then()
                    .statusCode(201);
        }
        // both journeys ended long ago; from now on the campaign enters a customer once only
        jdbc.update(
                "update campaign_enrollment set entered_at = ?, exited_at = ? where campaign_key = ?",
                utc(LONG_AGO),
                utc(LONG_AGO),
                campaign);
        as(ANALYST)
                .body(Map.of(
                        "name", "Once only",
                        "template", "ends-at-once-test",
                        "settings", Map.of("trigger", Map.of("type", "API_ONLY"), "reentry", Map.of("policy", "ONCE"))))
                .put("/api/campaigns/{id}", campaign)
                .then()
                .statusCode(200);
        // what the campaign decided about a segment event no longer in the log, and about one still there
        segmentEvent(customer, RECENTLY);
        long inTheLog = jdbc.queryForObject("select max(event_key) from segment_event", Long.class);
        for (long event : List.of(-1L, inTheLog)) {
            jdbc.update(
                    "insert into campaign_trigger (campaign_key, event_key, outcome, decided_at) "
                            + "values (?, ?, 'NOT_IN_AUDIENCE', ?)",
                    campaign,
                    event,
                    utc(LONG_AGO));
        }
        // a journey still running since long ago (its enrollment open), and the receipts of facts journeys received
        String running = "running-" + tag;
        long other = customer("running-" + tag);
        jdbc.update(
                "insert into campaign_enrollment (enrollment_key, campaign_key, customer_key, revision, "
                        + "process_instance_id, business_key, entry_cause, entered_at) "
                        + "values (?, ?, ?, 1, ?, ?, 'api', ?)",
                9_000_000_000L + Math.abs(tag.hashCode() % 1_000_000_000L),
                campaign,
                other,
                running,
                campaign + ":running-" + tag,
                utc(LONG_AGO));
        for (String instance : List.of(running, "ended-" + tag)) {
            jdbc.update(
                    "insert into journey_receipt (process_instance_id, fact, received_at) values (?, ?, ?)",
                    instance,
                    "order:" + tag,
                    utc(LONG_AGO));
        }
        jdbc.update(
                "insert into journey_receipt (process_instance_id, fact, received_at) values (?, ?, ?)",
                "recent-" + tag,
                "order:" + tag,
                utc(RECENTLY));
        List<Long> enrollments = jdbc.queryForList(
                "select enrollment_key from campaign_enrollment where campaign_key = ? and customer_key = ? "
                        + "order by enrollment_key",
                Long.class,
                campaign,
                customer);
        assertThat(enrollments).hasSize(2);

        clock.set(RUN_AT);
        HistoricProcessInstance run = runs.fire();
        runToTheEnd(run);

        assertThat(jdbc.queryForList(
                        "select enrollment_key from campaign_enrollment where campaign_key = ? and customer_key = ?",
                        Long.class,
                        campaign,
                        customer))
                .as("the older enrollment went, the customer's latest in the campaign stays")
                .containsExactly(enrollments.get(1));
        assertThat(count("select count(*) from campaign_enrollment where process_instance_id = ?", running))
                .as("a running journey's enrollment stays, whatever its age")
                .isEqualTo(1);
        assertThat(jdbc.queryForList(
                        "select process_instance_id from journey_receipt where fact = ? order by process_instance_id",
                        String.class,
                        "order:" + tag))
                .as("receipts of old facts go, but a running journey's")
                .containsExactly("recent-" + tag, running);
        // the running journey was made up for this test: it ends, so that no consistency check finds it
        jdbc.update(
                "update campaign_enrollment set exited_at = ?, exit_outcome = 'CANCELLED' "
                        + "where process_instance_id = ?",
                utc(RUN_AT),
                running);
        assertThat(jdbc.queryForList(
                        "select event_key from campaign_trigger where campaign_key = ?", Long.class, campaign))
                .as("a decision about an event still in the log stays: the event is never considered twice")
                .containsExactly(inTheLog);
        as(SERVICE)
                .body(Map.of("customerId", customerId))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(409)
                .body("errors.field", hasItems("customerId"))
                .body("errors[0].message", equalTo("was entered before (re-entry policy ONCE)"));
        assertThat(count("select count(*) from campaign_enrollment where customer_key = ?", customer))
                .isEqualTo(1);
    }

    @Test
    @Order(3)
    void aRunWhoseWindowClosesStopsAndTheNextRunDeletesTheRest() {
        clock.set(RUN_AT.minus(Duration.ofDays(1)));
        long customer = customer("window-" + tag);
        for (int i = 0; i < 30; i++) {
            customerEvent(customer, "late-" + tag + "-" + i, LONG_AGO);
        }

        clock.set(RUN_AT);
        HistoricProcessInstance run = runs.fire();
        assertThat(nextJob(run))
                .as("the first job did its 2 batches, the next one waits")
                .isNotNull();
        clock.set(RUN_AT.plus(Duration.ofHours(2)));
        managementService.executeJob(nextJob(run).getId());
        run = finished(run);

        assertThat(runs.path(run)).endsWith(GATEWAY_MORE.id(), END_EVENT_WINDOW_CLOSED.id());
        assertThat(runs.variable(run, CLEANUP_OUTCOME.name())).isEqualTo("WINDOW_CLOSED");
        assertThat(count("select count(*) from customer_event where customer_key = ?", customer))
                .as("nothing deleted after the window closed")
                .isEqualTo(30);

        clock.set(RUN_AT.plus(Duration.ofDays(1)));
        HistoricProcessInstance next = runs.fire();
        runToTheEnd(next);

        assertThat(finished(next).getState()).isEqualTo("COMPLETED");
        assertThat(count("select count(*) from customer_event where customer_key = ?", customer))
                .isZero();
    }

    @Test
    @Order(4)
    void erasureBlanksTheCustomersRowsWhateverTheirAgeAndACleanupBringsNothingBack() {
        clock.set(RUN_AT.minus(Duration.ofDays(1)));
        String customerId = "erased-" + tag;
        long customer = customer(customerId);
        delivery("erased-recent-" + tag, customer, "DELIVERED", RECENTLY);
        jdbc.update(
                "update delivery set address = ?, content = 'Hello Ann' where delivery_id = ?",
                customerId + "@example.com",
                "erased-recent-" + tag);
        customerEvent(customer, "erased-recent-" + tag, RECENTLY);
        customerEvent(customer, "erased-old-" + tag, LONG_AGO);
        jdbc.update("update customer_event set data = '{\"comment\":\"too pricey\"}' where customer_key = ?", customer);

        as(SERVICE).delete("/api/customers/{id}", customerId).then().statusCode(204);
        clock.set(RUN_AT);
        runToTheEnd(runs.fire());

        assertThat(jdbc.queryForMap(
                        "select address, content from delivery where delivery_id = ?", "erased-recent-" + tag))
                .as("a recent delivery stays, blanked by the erasure")
                .containsEntry("address", null)
                .containsEntry("content", null);
        assertThat(jdbc.queryForList("select data from customer_event where customer_key = ?", String.class, customer))
                .as("the old event went, the recent one stays without its data")
                .containsExactly((String) null);
    }

    /** Runs after the others: every step of the process ran in one of them. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyStepOfTheProcessRan() {
        FlowNodeCoverage.assertEveryFlowNodeRan(
                historyService, processEngine.getRepositoryService(), StorageCleanupProcess.KEY);
    }
}
