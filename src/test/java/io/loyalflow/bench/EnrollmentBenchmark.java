package io.loyalflow.bench;

import static io.loyalflow.journey.JourneyVariables.CHANNEL;
import static io.loyalflow.journey.JourneyVariables.EMAIL_CONSENT;
import static io.loyalflow.journey.JourneyVariables.HAS_EMAIL;
import static io.loyalflow.journey.JourneyVariables.HAS_PHONE;
import static io.loyalflow.journey.JourneyVariables.PREFERRED_CHANNEL;
import static io.loyalflow.journey.JourneyVariables.SMS_CONSENT;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_KEY;
import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_REVISION;
import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.platform.engine.JourneyHistoryLevel;
import io.loyalflow.platform.engine.ProcessVariable;
import io.loyalflow.testsupport.DatabaseTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventType;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Speed of campaign entry: customers entered into the win-back template by its recurring trigger and run
 * to the first send (log provider), against the raw engine running a process of the same shape with
 * no-op delegates, in one run on PostgreSQL: {@code ./mvnw -Pbench-campaigns test} (figures to
 * bench/work/enrollment-results.txt and docs/performance.md).
 *
 * <p>Jobs run as in production: Camunda's job executor, with its default settings (the test profile
 * turns it off; this class turns it on). Both sides are timed the same way, from the first start to
 * the moment every started instance waits at its 14-day timer. The runs alternate in half-size
 * rounds, raw / Loyalflow / Loyalflow / raw, so neither side gets all the benefit of a warm JVM or
 * all the cost of tables already holding the other's waiting instances.
 */
@Tag("benchmark")
@Import(EnrollmentBenchmark.Noop.class)
@TestPropertySource(
        properties = {
            "camunda.bpm.job-execution.enabled=true",
            "camunda.bpm.history-level=" + EnrollmentBenchmark.ReferenceAtFull.NAME,
            // the scheduled campaign entry and segment refresh must not run in between (once a year, at 03:00 on 1
            // January)
            "loyalflow.campaigns.entry-cycle=0 0 3 1 1 ?",
            "loyalflow.segments.refresh-cycle=0 0 3 1 1 ?",
            "loyalflow.messaging.email-provider=log",
            "loyalflow.messaging.sms-provider=log"
        })
class EnrollmentBenchmark extends DatabaseTest {

    /** The raw journey's own key: it has no enrollment. */
    private static final ProcessVariable<Long> RAW_KEY = ProcessVariable.longVariable("rawKey");

    private static final int JOURNEYS = Integer.getInteger("bench.journeys", 100_000);
    /** Loyalflow's history level in the run: journey (the service's default) or full. */
    static final String JOURNEYS_HISTORY = System.getProperty("bench.history", JourneyHistoryLevel.NAME);

    private static final int CHUNK = 500; // as loyalflow.campaigns.entry-chunk-size
    private static final String RAW = "bench-win-back-shape";
    private static final String CAMPAIGN = "bench-win-back";
    private static final long TIMEOUT_NANOS = 4 * 3_600_000_000_000L;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RuntimeService runtimeService;

    @Autowired
    RepositoryService repositoryService;

    @Autowired
    org.camunda.bpm.engine.ManagementService managementService;

    @Autowired
    org.camunda.bpm.engine.HistoryService historyService;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    org.camunda.bpm.engine.ProcessEngine engine;

    private final List<String> results = new ArrayList<>();

    @Test
    void enrollmentIntoWinBackAgainstTheRawEngine() throws Exception {
        int half = JOURNEYS / 2;
        var configuration =
                (org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        assertThat(configuration.getHistoryLevel().getName()).isEqualTo(ReferenceAtFull.NAME);
        var executor = configuration.getJobExecutor();
        record(
                "history: raw engine full, Loyalflow %s (one engine); job executor on: %d jobs per acquisition, "
                        + "pool %s; %d journeys per side in 2 rounds of %d; max heap %d MB",
                JOURNEYS_HISTORY,
                executor.getMaxJobsPerAcquisition(),
                executor instanceof org.camunda.bpm.engine.spring.components.jobexecutor.SpringJobExecutor spring
                                && spring.getTaskExecutor()
                                        instanceof org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor pool
                        ? "core " + pool.getCorePoolSize() + ", max " + pool.getMaxPoolSize() + ", queue "
                                + pool.getQueueCapacity()
                        : executor.getClass().getSimpleName(),
                2 * half,
                half,
                Runtime.getRuntime().maxMemory() / (1024 * 1024));

        long setup = System.nanoTime();
        customers(2 * half);
        repositoryService
                .createDeployment()
                .name("bench-raw-shape")
                .addModelInstance(RAW + ".bpmn", rawShape())
                .deploy();
        record(
                "setup: %d customers (e-mail, consent), the raw-shape process deployed, in %.0f s",
                2 * half, (System.nanoTime() - setup) / 1e9);

        List<Double> raw = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        var analyzer = analyzer();
        try {
            raw.add(rawRound(1, half, 0));
            heapAfterGc("after raw round 1");
            ours.add(loyalflowRound(1, half, 0));
            heapAfterGc("after Loyalflow round 1");
            ours.add(loyalflowRound(2, half, half));
            heapAfterGc("after Loyalflow round 2");
            raw.add(rawRound(2, half, half));
        } finally {
            analyzer.shutdownNow();
        }

        double rawRate =
                2.0 * half / raw.stream().mapToDouble(seconds -> seconds).sum();
        double ourRate =
                2.0 * half / ours.stream().mapToDouble(seconds -> seconds).sum();
        double ratio = ourRate / rawRate;
        record(
                "RESULT raw engine %.0f instances/s, Loyalflow %.0f journeys/s (each: %d instances over the time of "
                        + "both rounds), ratio %.2f",
                rawRate, ourRate, 2 * half, ratio);

        assertThat(count("select count(*) from delivery where status = 'LOGGED' and campaign = ?", CAMPAIGN))
                .isEqualTo(2L * half);
        heapWithJourneysWaiting(2 * half);

        assertThat(ratio).as("Loyalflow / raw engine").isGreaterThanOrEqualTo(0.5);
    }

    // ---- raw engine

    /** start → async no-op → channel-choice DMN → gateway → async no-op send → 14-day timer, with the order event subprocess. */
    private static BpmnModelInstance rawShape() {
        BpmnModelInstance model = Bpmn.createExecutableProcess(RAW)
                .camundaHistoryTimeToLive(180)
                .startEvent("StartEvent_Entered")
                .serviceTask("Task_ReadCustomer")
                .camundaAsyncBefore()
                .camundaDelegateExpression("${benchNoop}")
                .businessRuleTask("Task_ChooseChannel")
                .camundaDecisionRef("channel-choice")
                .camundaResultVariable(CHANNEL.name())
                .camundaMapDecisionResult("singleEntry")
                .exclusiveGateway("Gateway_Channel")
                .condition("e-mail", "${channel == 'EMAIL'}")
                .serviceTask("Task_SendOfferEmail")
                .camundaAsyncBefore()
                .camundaDelegateExpression("${benchNoop}")
                .intermediateCatchEvent("Event_OrderWaitOver")
                .timerWithDuration("P14D")
                .endEvent("EndEvent_Lapsed")
                .moveToNode("Gateway_Channel")
                .condition("other", "${channel != 'EMAIL'}")
                .endEvent("EndEvent_Unreachable")
                .done();
        model.<org.camunda.bpm.model.bpmn.instance.Process>getModelElementById(RAW)
                .builder()
                .eventSubProcess("SubProcess_Ordered")
                .startEvent("StartEvent_OrderPlaced")
                .interrupting(true)
                .message("Msg_BenchOrderPlaced")
                .endEvent("EndEvent_Converted");
        return model;
    }

    /** Starts {@code count} instances in chunk transactions, as campaign entry does; seconds until all wait. */
    private double rawRound(int round, int count, int offset) throws InterruptedException {
        long waitingBefore = timers(RAW);
        long[] sizeBefore = sizes();
        TransactionTemplate chunk = new TransactionTemplate(transactionManager);
        chunk.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        long started = System.nanoTime();
        for (int from = 0; from < count; from += CHUNK) {
            int first = from;
            chunk.executeWithoutResult(tx -> {
                for (int i = first; i < Math.min(first + CHUNK, count); i++) {
                    String customerId = "ebench-" + (offset + i + 1);
                    Map<String, Object> variables = new LinkedHashMap<>();
                    // what Loyalflow's journey starts with, and the facts its first step would write
                    CUSTOMER_ID.on(variables).set(customerId);
                    CAMPAIGN_KEY.on(variables).set("raw");
                    CAMPAIGN_REVISION.on(variables).set(1);
                    RAW_KEY.on(variables).set(offset + i + 1L);
                    variables.put(HAS_EMAIL.name(), Variables.booleanValue(true));
                    variables.put(HAS_PHONE.name(), Variables.booleanValue(false));
                    variables.put(EMAIL_CONSENT.name(), Variables.booleanValue(true));
                    variables.put(SMS_CONSENT.name(), Variables.booleanValue(false));
                    variables.put(PREFERRED_CHANNEL.name(), Variables.stringValue(null));
                    runtimeService.startProcessInstanceByKey(RAW, "raw:" + customerId, variables);
                }
            });
        }
        double startSeconds = (System.nanoTime() - started) / 1e9;
        double seconds = untilWaiting(RAW, waitingBefore + count, started);
        record(
                "raw engine, round %d: %d instances started in %.1f s, all waiting at the timer after %.1f s = %.0f/s",
                round, count, startSeconds, seconds, count / seconds);
        recordBytes("raw engine, round " + round, sizeBefore, count);
        return seconds;
    }

    // ---- Loyalflow

    /**
     * One day's recurring entry of the win-back campaign, the way production runs it: the round's
     * customers are the segment's members (the previous round's have left it, as a refresh would
     * record), the campaign's period has passed, and the campaign-entry schedule comes due: the job
     * executor runs the campaign-entry process, one job per chunk, and the journeys' own jobs.
     */
    private double loyalflowRound(int round, int count, int offset) throws InterruptedException {
        jdbc.update("update segment_membership set left_at = now() where segment_id = 'win-back' and left_at is null");
        jdbc.update(
                "insert into segment_membership (segment_id, customer_key, entered_at) "
                        + "select 'win-back', customer_key, now() from customer where customer_id like 'ebench-%' "
                        + "and cast(substring(customer_id from 8) as integer) between ? and ?",
                offset + 1, offset + count);
        if (round == 1) {
            activeCampaign();
        } else {
            // the next day: the period of the recurring trigger (P1D) has passed
            jdbc.update(
                    "update campaign set last_recurring_at = last_recurring_at - interval '1 day' where campaign_key = ?",
                    CAMPAIGN);
        }
        jdbc.execute("analyze segment_membership");
        long waitingBefore = timers(WinBackProcess.KEY);
        long[] sizeBefore = sizes();
        long started = System.nanoTime();
        String run = EntrySchedule.fireNow(managementService, historyService);
        double entrySeconds = EntrySchedule.untilEnded(historyService, run, started, TIMEOUT_NANOS);
        assertThat(count(
                        "select count(*) from campaign_enrollment where campaign_key = ? and entry_cause like ?",
                        CAMPAIGN,
                        "recurring:%"))
                .isEqualTo((long) round * count);
        double seconds = untilWaiting(WinBackProcess.KEY, waitingBefore + count, started);
        record(
                "Loyalflow, round %d: %d customers entered by the recurring trigger through the scheduled campaign-entry "
                        + "process (%d chunk jobs) in %.1f s, all waiting at the timer after the offer was sent (log provider) after "
                        + "%.1f s = %.0f/s",
                round, count, (count + CHUNK - 1) / CHUNK, entrySeconds, seconds, count / seconds);
        recordBytes("Loyalflow, round " + round, sizeBefore, count);
        return seconds;
    }

    private void activeCampaign() {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                TASK_SEND_OFFER_EMAIL.id(),
                Map.of(
                        "templateId",
                        "d-0123456789abcdef0123456789abcdef",
                        "templateData",
                        Map.of("code", "BACK15", "name", "{{firstName}}")));
        messages.put(TASK_SEND_OFFER_SMS.id(), Map.of("smsText", "{{firstName}}, 15% off your next order: BACK15"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", "win-back"));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("orderWait", "P14D"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        as(ANALYST)
                .body(Map.of(
                        "id",
                        CAMPAIGN,
                        "name",
                        "Win them back (benchmark)",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", CAMPAIGN)
                .then()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
    }

    // ---- both

    /** Customers ebench-1 … ebench-n with an e-mail address and e-mail consent (one statement each, as SegmentBenchmark). */
    private void customers(int n) {
        // the customers' sends must fall inside their e-mail window whenever the benchmark runs
        jdbc.update(
                "insert into customer (customer_id, email, first_name, time_zone, origin, version, created_at, "
                        + "updated_at) select 'ebench-' || g, 'ebench-' || g || '@example.com', 'Ann', ?, 'DEMO', 1, "
                        + "now(), now() from generate_series(1, " + n + ") g",
                DaytimeZone.now(Clock.systemUTC()).getId());
        jdbc.execute("insert into customer_consent (customer_key, channel, status, source, stated_at, recorded_at) "
                + "select customer_key, 'email', 'OPTED_IN', 'bench', now(), now() from customer "
                + "where customer_id like 'ebench-%'");
        // the customer tables only: statistics of the still empty engine tables would outlive their bulk load (below)
        jdbc.execute("analyze customer");
        jdbc.execute("analyze customer_consent");
    }

    /**
     * Stands in for autovacuum's analyze (autovacuum is off on the benchmark machine's PostgreSQL):
     * every minute while instances are started and run, as autovacuum would after a bulk load.
     * Without it PostgreSQL kept the statistics of an empty {@code act_ru_variable} and fetched each
     * job's variables by intersecting the task-id index over every variable (200 ms a fetch at
     * 650,000 variables), whichever side ran.
     */
    private java.util.concurrent.ScheduledExecutorService analyzer() {
        var analyzer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        analyzer.scheduleWithFixedDelay(
                () -> {
                    try {
                        jdbc.execute("analyze");
                    } catch (RuntimeException e) {
                        System.out.println("BENCH analyze failed: " + e);
                    }
                },
                60,
                60,
                java.util.concurrent.TimeUnit.SECONDS);
        return analyzer;
    }

    /** Seconds from {@code started} until {@code expected} instances of the process wait at a timer and no other job is left. */
    private double untilWaiting(String processKey, long expected, long started) throws InterruptedException {
        int polls = 0;
        while (true) {
            Map<String, Object> jobs = jdbc.queryForMap(
                    "select count(*) filter (where type_ = 'timer') timers, "
                            + "count(*) filter (where type_ <> 'timer') others, "
                            + "count(*) filter (where exception_msg_ is not null or exception_stack_id_ is not null) failed "
                            + "from act_ru_job where process_def_key_ = ?",
                    processKey);
            long timers = ((Number) jobs.get("timers")).longValue();
            long others = ((Number) jobs.get("others")).longValue();
            long failed = ((Number) jobs.get("failed")).longValue();
            if (failed > 0) {
                throw new AssertionError(failed + " job(s) of " + processKey + " failed, e.g.: "
                        + jdbc.queryForList(
                                "select exception_msg_ from act_ru_job where process_def_key_ = ? and exception_msg_ is not null "
                                        + "fetch first 3 rows only",
                                String.class,
                                processKey));
            }
            if (timers >= expected && others == 0) {
                return (System.nanoTime() - started) / 1e9;
            }
            if (System.nanoTime() - started > TIMEOUT_NANOS) {
                throw new AssertionError(processKey + ": " + timers + " of " + expected + " waiting after 4 hours");
            }
            if (++polls % 30 == 0) {
                System.out.printf(
                        "BENCH progress %s: %d of %d waiting, %d other jobs, %.0f s%n",
                        processKey, timers, expected, others, (System.nanoTime() - started) / 1e9);
            }
            // once a second: the count scans act_ru_job (no index on the process key), which must not compete much
            Thread.sleep(1000);
        }
    }

    private long[] sizes() {
        TableSizes sizes = TableSizes.of(jdbc);
        return new long[] {sizes.engineRuntime(), sizes.engineHistory(), sizes.own()};
    }

    private void recordBytes(String round, long[] before, int journeys) {
        long[] after = sizes();
        record(
                "%s: bytes per waiting instance: engine runtime %.0f, engine history %.0f, Loyalflow's tables %.0f",
                round,
                (after[0] - before[0]) / (double) journeys,
                (after[1] - before[1]) / (double) journeys,
                (after[2] - before[2]) / (double) journeys);
    }

    private long timers(String processKey) {
        return count("select count(*) from act_ru_job where process_def_key_ = ? and type_ = 'timer'", processKey);
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    /** Heap in use after a full GC, with the instances waiting so far (recorded after every round). */
    private long heapAfterGc(String when) throws InterruptedException {
        long used = HeapReadings.inUseAfterGc();
        if (when != null) {
            record(
                    "heap %s: %d Loyalflow journeys and %d raw instances waiting; in use after a full GC %d MB of %d MB",
                    when,
                    timers(WinBackProcess.KEY),
                    timers(RAW),
                    used / (1024 * 1024),
                    Runtime.getRuntime().maxMemory() / (1024 * 1024));
        }
        return used;
    }

    private void heapWithJourneysWaiting(int journeys) throws InterruptedException {
        long waiting = count(
                "select count(*) from act_ru_execution where parent_id_ is null and proc_def_key_ in (?, ?)",
                WinBackProcess.KEY,
                RAW);
        long used = heapAfterGc(null);
        long peak = HeapReadings.poolPeaks();
        record(
                "heap: %d process instances waiting (%d of them Loyalflow journeys); heap in use after a full GC %d MB; "
                        + "max heap (-Xmx) %d MB; sum of the heap pools' peaks during the run %d MB",
                waiting,
                journeys,
                used / (1024 * 1024),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                peak / (1024 * 1024));
        assertThat(waiting).isEqualTo(2L * journeys);
    }

    /** Prints the line and writes all lines so far to bench/work/enrollment-results.txt (a long run's rounds survive its end). */
    private void record(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("BENCH " + line);
        results.add(line);
        try {
            Files.createDirectories(Path.of("bench/work"));
            Files.write(Path.of("bench/work/enrollment-results.txt"), results);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Noop {
        /** The raw shape's service tasks: do nothing. */
        @Bean
        JavaDelegate benchNoop() {
            return execution -> {};
        }

        /** The reference at FULL, Loyalflow at the level under test, in one engine. */
        @Bean
        org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin benchmarkHistoryLevel() {
            return new org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin() {
                @Override
                public void preInit(org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl configuration) {
                    List<HistoryLevel> levels = new ArrayList<>(configuration.getCustomHistoryLevels());
                    levels.add(new ReferenceAtFull());
                    configuration.setCustomHistoryLevels(levels);
                }
            };
        }
    }

    /**
     * History level of the benchmark's engine: FULL for the raw shape's instances (the reference), and for
     * Loyalflow's journeys the level named by {@code -Dbench.history} ({@code journey}, the service's default,
     * or {@code full}). The levels differ only in the rows JourneyHistoryLevel leaves out, each of which names
     * its process definition.
     */
    static final class ReferenceAtFull implements HistoryLevel {

        static final String NAME = "bench-reference-at-full";

        private final HistoryLevel loyalflow = JOURNEYS_HISTORY.equals(HistoryLevel.HISTORY_LEVEL_FULL.getName())
                ? HistoryLevel.HISTORY_LEVEL_FULL
                : new JourneyHistoryLevel();

        @Override
        public int getId() {
            return 31;
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean isHistoryEventProduced(HistoryEventType eventType, Object entity) {
            // the history detail of a variable change is decided on its history event, the job log on its job
            String definition = entity instanceof HistoryEvent event
                    ? event.getProcessDefinitionKey()
                    : entity instanceof JobEntity job ? job.getProcessDefinitionKey() : null;
            return (definition != null && definition.startsWith(RAW))
                    || loyalflow.isHistoryEventProduced(eventType, entity);
        }
    }
}
