package io.loyalflow.bench;

import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.OPERATOR;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.TestDatabase;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * 25,000 customers entering a campaign through the path production takes, on H2 and on PostgreSQL
 * under {@code -Xmx1g}: a segment refresh records 25,000 SEGMENT_ENTERED events, the campaign-entry
 * schedule comes due, and the job executor runs the campaign-entry process (one job per chunk of
 * 500) and every journey to its first send and its 14-day wait (win-back, log provider). Reports
 * the entry's time, the time until every journey waits, and the heap; then the consistency check
 * must find nothing. {@code ./mvnw -Pbench-campaigns test} runs it on both databases (figures to
 * bench/work/scheduled-entry-results-&lt;database&gt;.txt and docs/performance.md).
 */
@Tag("benchmark")
@TestPropertySource(
        properties = {
            "camunda.bpm.job-execution.enabled=true",
            "loyalflow.campaigns.entry-cycle=0 0 3 1 1 ?",
            "loyalflow.segments.refresh-cycle=0 0 3 1 1 ?",
            "loyalflow.clv.refit-cycle=0 0 3 1 1 ?",
            "loyalflow.journeys.consistency-check-at-start=false",
            "loyalflow.messaging.email-provider=log",
            "loyalflow.messaging.sms-provider=log"
        })
class ScheduledEntryBenchmark extends DatabaseTest {

    private static final int CUSTOMERS = Integer.getInteger("bench.entries", 25_000);
    private static final long TIMEOUT_NANOS = 60 * 60_000_000_000L;
    private static final String CAMPAIGN = "bench-entry";
    private static final String SEGMENT = "bench-entry-audience";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ManagementService managementService;

    @Autowired
    HistoryService historyService;

    @Autowired
    RuntimeService runtimeService;

    private final List<String> results = new ArrayList<>();
    private final String database = TestDatabase.postgres() ? "postgresql" : "h2";

    @Test
    void twentyFiveThousandEntriesThroughTheScheduledProcess() throws Exception {
        record(
                "%s; %d customers; job executor on, default settings; max heap %d MB; %d cores",
                database,
                CUSTOMERS,
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                Runtime.getRuntime().availableProcessors());
        long setup = System.nanoTime();
        ZoneId zone = DaytimeZone.now(Clock.systemUTC());
        record(
                "customers' time zone %s (local time %s, inside the e-mail window)",
                zone, LocalTime.now(zone).withNano(0));
        customers(zone);
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        SEGMENT,
                        "name",
                        "Benchmark audience",
                        "conditions",
                        Map.of("field", "email", "op", "contains", "value", "@bench-entry.example")))
                .post("/api/segments")
                .then()
                .statusCode(201);
        activeCampaign();
        as(ANALYST)
                .post("/api/segments/{id}/refresh", SEGMENT)
                .then()
                .statusCode(200)
                .body("entered", equalTo(CUSTOMERS));
        record(
                "setup: customers, their features, the audience segment's %d SEGMENT_ENTERED events, the campaign: %.0f s",
                CUSTOMERS, (System.nanoTime() - setup) / 1e9);
        long heapBefore = HeapReadings.inUseAfterGc();

        long started = System.nanoTime();
        String run = EntrySchedule.fireNow(managementService, historyService);
        double entrySeconds = EntrySchedule.untilEnded(historyService, run, started, TIMEOUT_NANOS);
        long enrolled = count("select count(*) from campaign_enrollment where campaign_key = ?", CAMPAIGN);
        record(
                "entry: the campaign-entry run (%d chunk jobs) ended after %.1f s: %d enrollments = %.0f journeys/s",
                (CUSTOMERS + 499) / 500, entrySeconds, enrolled, enrolled / entrySeconds);
        double waitingSeconds = untilAllWait(started);
        record(
                "journeys: all %d waiting at their 14-day timer after the offer (log provider) %.1f s after the schedule "
                        + "came due = %.0f journeys/s",
                CUSTOMERS, waitingSeconds, CUSTOMERS / waitingSeconds);
        long heapAfter = HeapReadings.inUseAfterGc();
        record(
                "heap in use after a full GC: %d MB before the entry, %d MB after with %d journeys waiting; sum of the "
                        + "heap pools' peaks %d MB; max heap %d MB",
                heapBefore / (1024 * 1024),
                heapAfter / (1024 * 1024),
                CUSTOMERS,
                HeapReadings.poolPeaks() / (1024 * 1024),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));

        assertThat(enrolled).isEqualTo(CUSTOMERS);
        assertThat(count("select count(*) from delivery where campaign = ? and status = 'LOGGED'", CAMPAIGN))
                .isEqualTo(CUSTOMERS);
        JsonPath check = as(OPERATOR)
                .post("/api/journeys/consistency-check?repair=false")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        record(
                "consistency check: %d open enrollments, %d running journeys checked; %d enrollments without a journey, "
                        + "%d journeys without an enrollment",
                check.getInt("enrollmentsChecked"),
                check.getInt("journeysChecked"),
                check.getInt("enrollmentsWithoutJourney"),
                check.getInt("journeysWithoutEnrollment"));
        assertThat(check.getInt("enrollmentsWithoutJourney")).isZero();
        assertThat(check.getInt("journeysWithoutEnrollment")).isZero();
    }

    private void customers(ZoneId zone) {
        String numbers = TestDatabase.postgres()
                ? "select g as n from generate_series(1, " + CUSTOMERS + ") g"
                : "select x as n from system_range(1, " + CUSTOMERS + ")";
        jdbc.update(
                "insert into customer (customer_id, email, first_name, time_zone, origin, version, created_at, "
                        + "updated_at) select 'entry-bench-' || n, 'entry-bench-' || n || '@bench-entry.example', 'Ann', ?, "
                        + "'DEMO', 1, current_timestamp, current_timestamp from (" + numbers + ") numbers",
                zone.getId());
        jdbc.execute("insert into customer_consent (customer_key, channel, status, source, stated_at, recorded_at) "
                + "select customer_key, 'email', 'OPTED_IN', 'bench', current_timestamp, current_timestamp from customer "
                + "where customer_id like 'entry-bench-%'");
        if (TestDatabase.postgres()) {
            jdbc.execute("analyze customer");
            jdbc.execute("analyze customer_consent");
        }
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
        settings.put("audience", Map.of("segment", SEGMENT));
        settings.put("trigger", Map.of("type", "SEGMENT_ENTERED"));
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
                        "Entry benchmark",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST).post("/api/campaigns/{id}/activate", CAMPAIGN).then().statusCode(200);
    }

    /** Seconds from {@code started} until every journey waits at its timer and no other job of win-back is left. */
    private double untilAllWait(long started) throws InterruptedException {
        while (true) {
            long timers =
                    count("select count(*) from act_ru_job where process_def_key_ = 'win-back' and type_ = 'timer'");
            long others =
                    count("select count(*) from act_ru_job where process_def_key_ = 'win-back' and type_ <> 'timer'");
            long failed =
                    count("select count(*) from act_ru_job where process_def_key_ in ('win-back', 'campaign-entry') "
                            + "and exception_msg_ is not null");
            if (failed > 0) {
                throw new AssertionError(failed + " job(s) failed, e.g. "
                        + jdbc
                                .queryForList(
                                        "select exception_msg_ from " + "act_ru_job where exception_msg_ is not null",
                                        String.class)
                                .stream()
                                .limit(3)
                                .toList());
            }
            long deferred = count("select count(*) from delivery where campaign = ? and status = 'DEFERRED'", CAMPAIGN);
            if (deferred > 0) {
                throw new AssertionError(
                        deferred + " send(s) deferred: the benchmark measures sends inside the window");
            }
            if (timers >= CUSTOMERS && others == 0) {
                return (System.nanoTime() - started) / 1e9;
            }
            if (System.nanoTime() - started > TIMEOUT_NANOS) {
                throw new AssertionError(timers + " of " + CUSTOMERS + " journeys waiting after an hour");
            }
            Thread.sleep(1000);
        }
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    private void record(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("BENCH " + line);
        results.add(line);
        try {
            Files.createDirectories(Path.of("bench/work"));
            Files.write(Path.of("bench/work/scheduled-entry-results-" + database + ".txt"), results);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
