package io.loyalflow.bench;

import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.testsupport.DatabaseTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Bounded storage under steady load: journeys enter win-back continuously through {@code POST
 * /api/campaigns/{id}/enrollments} (the path other services take), each sends its offer (log provider), waits
 * two minutes for an order and ends as lapsed, and re-enters later (re-entry AFTER_EXIT) — for 30 minutes, with
 * the job executor and Camunda's history cleanup running as in production, on PostgreSQL: {@code ./mvnw
 * -Pbench-steady test} (figures to bench/work/steady-results.txt and docs/performance.md, "Bounded storage").
 *
 * <p>First a calibration: a thousand journeys with the template's own history time-to-live, run to their end,
 * give the bytes a finished journey keeps in history. Then the template's time-to-live is set to 0 days, so
 * the history of a journey is due for removal when it ends: in 30 minutes the run goes through what production
 * goes through in 180 days (entries, ends and cleanup), and the table sizes must level off.
 */
@Tag("benchmark")
@TestPropertySource(
        properties = {
            "camunda.bpm.job-execution.enabled=true",
            "loyalflow.campaigns.entry-cycle=0 0 3 1 1 ?",
            "loyalflow.segments.refresh-cycle=0 0 3 1 1 ?",
            "loyalflow.messaging.email-provider=log",
            "loyalflow.messaging.sms-provider=log",
            // production cleans up between 01:00 and 05:00; the run lasts 30 minutes at any hour
            "camunda.bpm.generic-properties.properties.history-cleanup-batch-window-start-time=00:00",
            "camunda.bpm.generic-properties.properties.history-cleanup-batch-window-end-time=23:59"
        })
class SteadyLoadBenchmark extends DatabaseTest {

    private static final String CAMPAIGN = "steady-win-back";
    private static final int RATE = Integer.getInteger("bench.steady.rate", 10);
    private static final int MINUTES = Integer.getInteger("bench.steady.minutes", 30);
    private static final int CALIBRATION = Integer.getInteger("bench.steady.calibration", 1_000);
    /** Enough customers that each has left their journey (2 minutes and a bit) before their turn comes again. */
    private static final int CUSTOMERS = RATE * 600;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RepositoryService repositoryService;

    @Autowired
    ManagementService managementService;

    @Autowired
    HistoryService historyService;

    private final List<String> results = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong entered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    @Test
    void tableSizesLevelOffWhileJourneysEnterAndEndContinuously() throws Exception {
        record(
                "steady load: %d journeys/s entered over the API for %d minutes, %d customers, order wait PT2M, "
                        + "history level %s, cleanup %s; max heap %d MB",
                RATE,
                MINUTES,
                CUSTOMERS,
                processEngine.getProcessEngineConfiguration().getHistory(),
                historyCleanupStrategy(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
        customers();
        activeCampaign();
        ScheduledExecutorService vacuum = Executors.newSingleThreadScheduledExecutor();
        // autovacuum is off on this machine's PostgreSQL: the benchmark does what it does (space of deleted rows
        // reused, statistics fresh), once a minute
        vacuum.scheduleWithFixedDelay(() -> quietly("vacuum analyze"), 60, 60, TimeUnit.SECONDS);
        try {
            calibrate();
            steadyLoad();
        } finally {
            vacuum.shutdownNow();
            Files.createDirectories(Path.of("bench/work"));
            Files.write(Path.of("bench/work/steady-results.txt"), results);
        }
    }

    /** The bytes a finished journey keeps in history (the template's own time-to-live: nothing cleaned up). */
    private void calibrate() throws InterruptedException {
        quietly("vacuum analyze");
        long[] before = sizes();
        ScheduledExecutorService load = load();
        long started = System.nanoTime();
        org.awaitility.Awaitility.await("calibration journeys entered")
                .atMost(java.time.Duration.ofMinutes(30))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> entered.get() >= CALIBRATION);
        load.shutdownNow();
        load.awaitTermination(10, TimeUnit.SECONDS);
        long journeys = entered.get();
        org.awaitility.Awaitility.await("calibration journeys ended")
                .atMost(java.time.Duration.ofMinutes(15))
                .pollInterval(java.time.Duration.ofSeconds(1))
                .until(() -> count(
                                "select count(*) from act_ru_execution where proc_def_key_ = ? and parent_id_ is null",
                                WinBackProcess.KEY)
                        == 0);
        quietly("vacuum analyze");
        long[] after = sizes();
        record(
                "calibration: %d journeys entered, sent, waited and ended in %.0f s; per finished journey: engine "
                        + "history %.0f bytes, engine runtime %.0f bytes left, Loyalflow's tables %.0f bytes",
                journeys,
                (System.nanoTime() - started) / 1e9,
                (after[1] - before[1]) / (double) journeys,
                (after[0] - before[0]) / (double) journeys,
                (after[2] - before[2]) / (double) journeys);
    }

    private void steadyLoad() throws InterruptedException {
        // the history of a journey is due for removal when it ends
        repositoryService
                .createProcessDefinitionQuery()
                .processDefinitionKey(WinBackProcess.KEY)
                .list()
                .forEach(definition ->
                        repositoryService.updateProcessDefinitionHistoryTimeToLive(definition.getId(), 0));
        historyService.cleanUpHistoryAsync(false);
        long enteredBefore = entered.get();
        long endedBefore = endedJourneys();
        ScheduledExecutorService load = load();
        long started = System.nanoTime();
        List<long[]> samples = new ArrayList<>();
        try {
            for (int minute = 1; minute <= MINUTES; minute++) {
                Thread.sleep(60_000);
                long[] size = sizes();
                long running = count(
                        "select count(*) from act_ru_execution where proc_def_key_ = ? and parent_id_ is null",
                        WinBackProcess.KEY);
                long inHistory =
                        count("select count(*) from act_hi_procinst where proc_def_key_ = ?", WinBackProcess.KEY);
                samples.add(size);
                record(
                        "minute %d: entered %d (refused %d, failed %d), running %d, in history %d (ended %d), engine "
                                + "runtime %d kB, engine history %d kB, Loyalflow's tables %d kB, database %d MB",
                        minute,
                        entered.get() - enteredBefore,
                        refused.get(),
                        failed.get(),
                        running,
                        inHistory,
                        endedJourneys() - endedBefore,
                        size[0] / 1024,
                        size[1] / 1024,
                        size[2] / 1024,
                        count("select pg_database_size(current_database())") / (1024 * 1024));
            }
        } finally {
            load.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long journeys = entered.get() - enteredBefore;
        long ended = endedJourneys() - endedBefore;
        record(
                "RESULT %d journeys entered in %.0f s (%.1f/s), %d ended; incidents %d",
                journeys, seconds, journeys / seconds, ended, count("select count(*) from act_ru_incident"));
        long[] third = samples.get(samples.size() * 2 / 3 - 1);
        long[] last = samples.get(samples.size() - 1);
        record(
                "RESULT growth over the last third of the run: engine runtime %+.1f %%, engine history %+.1f %%, "
                        + "Loyalflow's tables %+.1f %%",
                100.0 * (last[0] - third[0]) / third[0],
                100.0 * (last[1] - third[1]) / third[1],
                100.0 * (last[2] - third[2]) / third[2]);
        assertThat(failed.get()).as("enrollments answered 5xx").isZero();
        assertThat(ended).as("journeys ended during the run").isGreaterThan(journeys / 2);
        assertThat(count("select count(*) from act_ru_incident")).isZero();
        // level: the engine's tables grow by less than a tenth over the last third of the run while the entries go on
        assertThat((double) last[0]).isLessThan(third[0] * 1.1);
        assertThat((double) last[1]).isLessThan(third[1] * 1.1);
    }

    /** Enrolls RATE customers a second, round robin over the pool; a customer still in a journey is refused (409). */
    private ScheduledExecutorService load() {
        ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
        load.scheduleAtFixedRate(
                () -> {
                    String customer = "steady-" + (next.getAndIncrement() % CUSTOMERS + 1);
                    int status;
                    try {
                        status = as(SERVICE)
                                .body(Map.of("customerId", customer))
                                .post("/api/campaigns/{id}/enrollments", CAMPAIGN)
                                .statusCode();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        return;
                    }
                    if (status == 201) {
                        entered.incrementAndGet();
                    } else if (status == 409) {
                        refused.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                },
                0,
                1_000_000 / RATE,
                TimeUnit.MICROSECONDS);
        return load;
    }

    private long endedJourneys() {
        return count(
                "select count(*) from campaign_enrollment where campaign_key = ? and exit_outcome is not null",
                CAMPAIGN);
    }

    private String historyCleanupStrategy() {
        return ((org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl)
                        processEngine.getProcessEngineConfiguration())
                .getHistoryCleanupStrategy();
    }

    private void customers() {
        jdbc.update(
                "insert into customer (customer_id, email, first_name, time_zone, origin, version, created_at, "
                        + "updated_at) select 'steady-' || g, 'steady-' || g || '@example.com', 'Ann', ?, 'DEMO', 1, "
                        + "now(), now() from generate_series(1, " + CUSTOMERS + ") g",
                DaytimeZone.now(Clock.systemUTC()).getId());
        jdbc.execute("insert into customer_consent (customer_key, channel, status, source, stated_at, recorded_at) "
                + "select customer_key, 'email', 'OPTED_IN', 'bench', now(), now() from customer "
                + "where customer_id like 'steady-%'");
        jdbc.update("insert into segment_membership (segment_id, customer_key, entered_at) "
                + "select 'win-back', customer_key, now() from customer where customer_id like 'steady-%'");
        jdbc.execute("analyze");
    }

    private void activeCampaign() {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                TASK_SEND_OFFER_EMAIL.id(),
                Map.of("templateId", "d-0123456789abcdef0123456789abcdef", "templateData", Map.of("code", "BACK15")));
        messages.put(TASK_SEND_OFFER_SMS.id(), Map.of("smsText", "15% off your next order: BACK15"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", "win-back"));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("orderWait", "PT2M"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        as(ANALYST)
                .body(Map.of(
                        "id",
                        CAMPAIGN,
                        "name",
                        "Win them back (steady load)",
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

    private long[] sizes() {
        TableSizes sizes = TableSizes.of(jdbc);
        return new long[] {sizes.engineRuntime(), sizes.engineHistory(), sizes.own()};
    }

    private void quietly(String sql) {
        try {
            jdbc.execute(sql);
        } catch (RuntimeException e) {
            System.out.println("BENCH " + sql + " failed: " + e);
        }
    }

    private long count(String sql, Object... arguments) {
        return jdbc.queryForObject(sql, Long.class, arguments);
    }

    private void record(String format, Object... arguments) {
        String line = String.format(format, arguments);
        System.out.println("BENCH " + line);
        results.add(line);
    }
}
