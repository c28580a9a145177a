package io.loyalflow.journey;

import static io.loyalflow.journey.CampaignEntryProcess.Element.END_EVENT_ENTERED;
import static io.loyalflow.journey.CampaignEntryProcess.Element.TASK_ENTER_CHUNK;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.testsupport.CampaignEntryRuns;
import io.loyalflow.testsupport.DatabaseTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Campaign entry through its real path: the campaign-entry process's schedule fires and its chunk
 * jobs run as the job executor runs them (chunks of 10 here). A chunk that fails leaves nothing
 * behind, runs do not trip over each other, first tiers start no journey.
 */
@Import(CampaignEntryTest.Faults.class)
@TestPropertySource(properties = "loyalflow.campaigns.entry-chunk-size=10")
class CampaignEntryTest extends DatabaseTest {

    static final String TEMPLATE = "entry-fault-test";
    private static final Instant NOW = Instant.parse("2026-11-10T07:30:00Z"); // 02:30 in New York

    @Autowired
    RuntimeService runtime;

    @Autowired
    ManagementService management;

    @Autowired
    HistoryService history;

    @Autowired
    RepositoryService repository;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EntryFault fault;

    @Autowired
    CampaignEntry entry;

    @Autowired
    TransactionTemplate transactions;

    CampaignEntryRuns runs;

    @BeforeEach
    void setUp() {
        clock.set(NOW);
        runs = new CampaignEntryRuns(management, history);
        fault.poisoned.clear();
        // a template whose first step runs within the start, and throws for a poisoned customer
        repository
                .createDeployment()
                .name(TEMPLATE)
                .enableDuplicateFiltering(true)
                .addModelInstance(
                        TEMPLATE + ".bpmn",
                        Bpmn.createExecutableProcess(TEMPLATE)
                                .camundaHistoryTimeToLive(1)
                                .startEvent("StartEvent_Entered")
                                .serviceTask("Task_Check")
                                .camundaExpression("${entryFault.check(customerId)}")
                                .intermediateCatchEvent("Event_Wait")
                                .timerWithDuration("P30D")
                                .endEvent("EndEvent_Lapsed")
                                .done())
                .deploy();
    }

    @AfterEach
    void archiveCampaigns() {
        for (String id : jdbc.queryForList("select campaign_key from campaign where state = 'ACTIVE'", String.class)) {
            as(ANALYST).post("/api/campaigns/{id}/archive", id).then().statusCode(200);
        }
    }

    // ---- a chunk that fails

    @Test
    void aFailingChunkLeavesNothingBehindAndItsRetryEntersEveryCustomerOnce() {
        List<String> customers = customers(25);
        String segment = segmentOf(customers);
        String campaign = activeCampaign(segment, Map.of("type", "SEGMENT_ENTERED"));
        refreshSegment(segment);
        List<String> byEvent = customersByEvent(segment);
        assertThat(byEvent).hasSize(25);
        fault.poisoned.add(byEvent.get(14)); // the 15th event: the second chunk

        String run = runs.start();
        Job body = onlyJob(run);
        management.executeJob(body.getId()); // the campaigns' branches
        Job chunk = onlyJob(run);
        management.executeJob(chunk.getId()); // chunk 1: events 1-10
        assertThat(enrollments(campaign)).isEqualTo(10);

        Job second = onlyJob(run);
        for (int attempt = 1; attempt <= 3; attempt++) {
            String id = second.getId();
            assertThatThrownBy(() -> management.executeJob(id)).hasMessageContaining("poisoned");
            // nothing of the failed chunk stays: no enrollment, no journey, no consumed event
            assertThat(enrollments(campaign)).isEqualTo(10);
            assertThat(journeys(campaign)).isEqualTo(10);
            assertThat(jdbc.queryForObject(
                            "select count(*) from campaign_trigger where campaign_key = ?", Integer.class, campaign))
                    .isEqualTo(10);
            assertThat(enrollmentsWithoutJourney(campaign)).isZero();
            clock.set(clock.instant().plus(Duration.ofMinutes(3)));
            second = management.createJobQuery().jobId(id).singleResult();
        }
        assertThat(second.getRetries()).isZero();
        Incident incident = runtime.createIncidentQuery().processInstanceId(run).singleResult();
        assertThat(incident.getActivityId()).isEqualTo(TASK_ENTER_CHUNK.id());
        assertThat(incident.getIncidentMessage()).contains("poisoned");

        // the operator fixes the cause and retries the job in Cockpit
        fault.poisoned.clear();
        management.setJobRetries(second.getId(), 1);
        runs.runJobs(run);
        assertThat(history.createHistoricProcessInstanceQuery()
                        .processInstanceId(run)
                        .singleResult()
                        .getEndActivityId())
                .isEqualTo(END_EVENT_ENTERED.id());
        assertThat(runs.outcomes(run).of(campaign)).containsExactlyEntriesOf(Map.of("ENROLLED", 25));
        assertThat(enrollments(campaign)).isEqualTo(25);
        assertThat(journeys(campaign)).isEqualTo(25);
        for (String customer : customers) {
            assertThat(runtime.createProcessInstanceQuery()
                            .processInstanceBusinessKey(campaign + ":" + customer)
                            .count())
                    .as(customer)
                    .isEqualTo(1);
        }
        assertThat(jdbc.queryForList(
                        "select distinct outcome from campaign_trigger where campaign_key = ?", String.class, campaign))
                .containsExactly("ENROLLED");
        assertThat(runs.fire().of(campaign))
                .as("a later run finds nothing left")
                .isEmpty();
    }

    @Test
    void aFailingRecurringChunkIsRepeatedWholeAndTheCampaignsPeriodStaysClaimed() {
        List<String> customers = customers(15);
        String segment = segmentOf(customers);
        refreshSegment(segment);
        String campaign = activeCampaign(segment, Map.of("type", "RECURRING", "every", "P1D"));
        fault.poisoned.add(customers.get(12));

        String run = runs.start();
        management.executeJob(onlyJob(run).getId());
        management.executeJob(onlyJob(run).getId()); // claims the period, enters 10
        assertThat(enrollments(campaign)).isEqualTo(10);
        String failing = onlyJob(run).getId();
        assertThatThrownBy(() -> management.executeJob(failing)).hasMessageContaining("poisoned");
        assertThat(enrollments(campaign)).isEqualTo(10);
        assertThat(enrollmentsWithoutJourney(campaign)).isZero();

        // another run meanwhile: the period is taken, so it enters nobody (and waits for nothing)
        clock.set(clock.instant().plus(Duration.ofMinutes(11)));
        assertThat(runs.fire().of(campaign)).isEmpty();

        fault.poisoned.clear();
        clock.set(clock.instant().plus(Duration.ofMinutes(3)));
        runs.runJobs(run);
        assertThat(enrollments(campaign)).isEqualTo(15);
        assertThat(journeys(campaign)).isEqualTo(15);
        assertThat(runs.outcomes(run).of(campaign)).containsExactlyEntriesOf(Map.of("ENROLLED", 15));
    }

    // ---- runs that overlap

    @Test
    void aLaterRunLeavesACampaignToTheRunEnteringItUntilThatRunFallsSilent() {
        List<String> customers = customers(25);
        String segment = segmentOf(customers);
        String campaign = activeCampaign(segment, Map.of("type", "SEGMENT_ENTERED"));
        refreshSegment(segment);

        String first = runs.start();
        management.executeJob(onlyJob(first).getId());
        management.executeJob(onlyJob(first).getId()); // 10 entered; the run holds the campaign

        String second = runs.start();
        runs.runJobs(second);
        assertThat(runs.outcomes(second).of(campaign))
                .as("left to the first run")
                .isEmpty();
        assertThat(enrollments(campaign)).isEqualTo(10);

        // the first run falls silent (its node died mid-run): after 10 minutes a later run takes over
        clock.set(clock.instant().plus(Duration.ofMinutes(11)));
        String third = runs.start();
        runs.runJobs(third);
        assertThat(runs.outcomes(third).of(campaign)).containsExactlyEntriesOf(Map.of("ENROLLED", 15));

        // the first run's chunk job runs after all (its lock expired): nothing is entered twice
        runs.runJobs(first);
        assertThat(runs.outcomes(first).of(campaign)).containsExactlyEntriesOf(Map.of("ENROLLED", 10));
        assertThat(enrollments(campaign)).isEqualTo(25);
        assertThat(journeys(campaign)).isEqualTo(25);
    }

    @Test
    void aRunAndOrdersEnteringTheSameEventsAtOnceEnterEachCustomerOnce() throws Exception {
        List<String> customers = customers(30);
        String segment = segmentOf(customers);
        String campaign = activeCampaign(segment, Map.of("type", "SEGMENT_ENTERED"));
        refreshSegment(segment);
        List<Long> events = jdbc.queryForList(
                "select event_key from segment_event where segment_id = ? "
                        + "and kind = 'SEGMENT_ENTERED' order by event_key",
                Long.class,
                segment);

        String run = runs.start();
        management.executeJob(onlyJob(run).getId());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            work.add(pool.submit(() -> {
                go.await();
                runs.runJobs(run);
                return null;
            }));
            for (List<Long> part : List.of(events.subList(0, 15), events.subList(10, 30))) {
                work.add(pool.submit(() -> {
                    go.await();
                    return transactions.execute(tx -> entry.enterSegmentEvents(part));
                }));
            }
            go.countDown();
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(enrollments(campaign)).isEqualTo(30);
        assertThat(journeys(campaign)).isEqualTo(30);
        assertThat(jdbc.queryForObject(
                        "select count(*) from campaign_trigger where campaign_key = ? and outcome = " + "'ENROLLED'",
                        Integer.class,
                        campaign))
                .isEqualTo(30);
        for (String customer : customers) {
            assertThat(runtime.createProcessInstanceQuery()
                            .processInstanceBusinessKey(campaign + ":" + customer)
                            .count())
                    .as(customer)
                    .isEqualTo(1);
        }
    }

    // ---- first tiers

    @Test
    void aCustomersFirstTierStartsNoJourneyButALaterUpgradeDoes() {
        List<String> customers = customers(4);
        // activated before these customers' first refresh: every one of them gets a first tier (Bronze)
        String campaign = activeCampaign(null, Map.of("type", "TIER_CHANGED"));
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        String newcomer = customers(1).get(0);
        order(newcomer, "50.00"); // a first order gives a first tier at once
        runs.fire();
        assertThat(enrollments(campaign)).isZero();
        List<String> ours = new ArrayList<>(customers);
        ours.add(newcomer);
        for (String customer : ours) {
            assertThat(jdbc.queryForList(
                            "select t.outcome from campaign_trigger t join segment_event e on e.event_key = "
                                    + "t.event_key join customer c on c.customer_key = e.customer_key where t.campaign_key = ? "
                                    + "and c.customer_id = ?",
                            String.class,
                            campaign,
                            customer))
                    .as(customer)
                    .containsExactly("FIRST_TIER");
        }

        order(customers.get(0), "200.00"); // Bronze -> Silver
        runs.fire();
        assertThat(enrollments(campaign)).isEqualTo(1);
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceBusinessKey(campaign + ":" + customers.get(0))
                        .count())
                .isEqualTo(1);
    }

    // ---- helpers

    private Job onlyJob(String run) {
        List<Job> jobs = management.createJobQuery().processInstanceId(run).list();
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    private List<String> customers(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "entry-" + UUID.randomUUID();
            as(SERVICE)
                    .body(Map.of("email", id + "@example.com", "timeZone", "America/New_York"))
                    .put("/api/customers/{id}", id)
                    .then()
                    .statusCode(201);
            ids.add(id);
        }
        return ids;
    }

    private void order(String customerId, String amount) {
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + UUID.randomUUID(),
                        "customerId",
                        customerId,
                        "placedAt",
                        clock.instant().minusSeconds(60).toString(),
                        "amount",
                        new BigDecimal(amount),
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal(amount)))))
                .post("/api/orders")
                .then()
                .statusCode(201);
    }

    /** A segment of exactly these customers (defined, not yet refreshed; the features are). */
    private String segmentOf(List<String> customers) {
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        String segment = "entry-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Entry test customers",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", customers)))
                .post("/api/segments")
                .then()
                .statusCode(201);
        return segment;
    }

    private void refreshSegment(String segment) {
        as(ANALYST).post("/api/segments/{id}/refresh", segment).then().statusCode(200);
    }

    private List<String> customersByEvent(String segment) {
        return jdbc.queryForList(
                "select c.customer_id from segment_event e join customer c on c.customer_key = "
                        + "e.customer_key where e.segment_id = ? and e.kind = 'SEGMENT_ENTERED' order by e.event_key",
                String.class,
                segment);
    }

    private String activeCampaign(String segment, Map<String, Object> trigger) {
        String id = "entry-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> settings = new LinkedHashMap<>();
        if (segment != null) {
            settings.put("audience", Map.of("segment", segment));
        }
        settings.put("trigger", trigger);
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        as(ANALYST)
                .body(Map.of("id", id, "name", "Entry test", "template", TEMPLATE, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
        return id;
    }

    private int enrollments(String campaign) {
        return jdbc.queryForObject(
                "select count(*) from campaign_enrollment where campaign_key = ?", Integer.class, campaign);
    }

    private long journeys(String campaign) {
        return runtime.createProcessInstanceQuery().processDefinitionKey(TEMPLATE).list().stream()
                .filter(p -> p.getBusinessKey().startsWith(campaign + ":"))
                .count();
    }

    private long enrollmentsWithoutJourney(String campaign) {
        Set<String> running = ConcurrentHashMap.newKeySet();
        runtime.createProcessInstanceQuery()
                .processDefinitionKey(TEMPLATE)
                .list()
                .forEach(p -> running.add(p.getId()));
        return jdbc
                .queryForList(
                        "select process_instance_id from campaign_enrollment where campaign_key = ?",
                        String.class,
                        campaign)
                .stream()
                .filter(id -> !running.contains(id))
                .count();
    }

    /** The template's first step: throws for a poisoned customer, as a model error or bad data would. */
    public static class EntryFault {
        final Set<String> poisoned = ConcurrentHashMap.newKeySet();

        public boolean check(String customerId) {
            if (poisoned.contains(customerId)) {
                throw new IllegalStateException("poisoned customer " + customerId);
            }
            return true;
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Faults {
        @Bean
        EntryFault entryFault() {
            return new EntryFault();
        }
    }
}
