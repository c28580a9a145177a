package io.loyalflow.bench;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.report.ReportRollups;
import io.loyalflow.testsupport.IntegrationTest;
import io.loyalflow.testsupport.TestDatabase;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The campaign report over 200,000 journeys and 1,000,000 deliveries on PostgreSQL:
 * {@code ./mvnw -Pbench-report test} (figures to bench/work/report-results.txt and docs/performance.md). The data
 * is written set-based (generate_series): customers, one win-back campaign's enrollments over 30 days, the
 * engine's activity history of their journeys (6 flow nodes each), 5 deliveries per journey with statuses,
 * opens and clicks and their events, and 100,000 orders. Then the report endpoint is timed, as a user calls it.
 */
@Tag("benchmark")
class ReportBenchmark extends IntegrationTest {

    private static final int JOURNEYS = Integer.getInteger("bench.journeys", 200_000);
    private static final int DELIVERIES_PER_JOURNEY = 5;
    private static final int ORDERS = Integer.getInteger("bench.orders", 100_000);
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RepositoryService repository;

    @Autowired
    ReportRollups rollups;

    private final List<String> results = new ArrayList<>();

    @Test
    void theReportOfACampaignWith200000JourneysAndAMillionDeliveries() throws Exception {
        assertThat(TestDatabase.postgres())
                .as("the benchmark runs on PostgreSQL")
                .isTrue();
        clock.set(START.plusSeconds(35L * 86_400));
        String campaign = "bench-report";
        as(ADMIN)
                .body(Map.of(
                        "id",
                        campaign,
                        "name",
                        "Win back (benchmark)",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        Map.of("exitGoal", "ORDER")))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        jdbc.update(
                "update campaign set created_at = ? where campaign_key = ?", java.sql.Timestamp.from(START), campaign);
        long fill = System.nanoTime();
        fill(campaign);
        results.add(String.format(
                "filled %,d journeys, %,d deliveries, %,d delivery events, %,d activity instances, %,d orders in %.1f s",
                count("campaign_enrollment"),
                count("delivery"),
                count("delivery_event"),
                count("act_hi_actinst"),
                count("customer_order"),
                (System.nanoTime() - fill) / 1e9));

        // live: computed from the stored data (a range that is not whole days of entry)
        List<Double> live = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            report(campaign, "?from=2026-10-31T23:59:59Z");
            live.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(live);
        results.add(String.format(
                "live report (not pre-aggregated): median %.0f ms, min %.0f ms, max %.0f ms over %d calls",
                live.get(1), live.get(0), live.get(2), live.size()));
        long r0 = System.nanoTime();
        rollups.refresh(campaign);
        results.add(String.format("pre-aggregation of the campaign (rollups): %.1f s", (System.nanoTime() - r0) / 1e9));
        results.add("rollup rows: "
                + (count("report_enrollment_day")
                        + count("report_funnel_day")
                        + count("report_message_day")
                        + count("report_unsubscribe_day")
                        + count("report_send_open_day")
                        + count("report_conversion_day")));

        // warm-up (plans, JIT), then timed calls
        assertThat(report(campaign, "").getString("source")).isEqualTo("rollup");
        List<Double> times = new ArrayList<>();
        JsonPath last = null;
        for (int i = 0; i < 7; i++) {
            long t0 = System.nanoTime();
            last = report(campaign, "");
            times.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(times);
        results.add(String.format(
                "GET /api/campaigns/%s/report (whole range, pre-aggregated): median %.0f ms, min %.0f ms, max %.0f ms over %d calls",
                campaign, times.get(times.size() / 2), times.get(0), times.get(times.size() - 1), times.size()));
        results.add("totals: " + last.getMap("totals"));
        results.add("conversions: " + last.getMap("conversions"));
        List<Double> week = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            report(campaign, "?from=2026-11-08&to=2026-11-14");
            week.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(week);
        results.add(String.format("one week of entries (pre-aggregated): median %.0f ms", week.get(week.size() / 2)));
        long t0 = System.nanoTime();
        String csv = as(ANALYST)
                .get("/api/campaigns/{id}/report?format=csv", campaign)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        results.add(String.format(
                "CSV: %.0f ms, %,d lines",
                (System.nanoTime() - t0) / 1e6, csv.lines().count()));
        results.add("cpus: " + Runtime.getRuntime().availableProcessors() + ", PostgreSQL "
                + jdbc.queryForObject("show server_version", String.class));
        results.forEach(System.out::println);
        Files.createDirectories(Path.of("bench/work"));
        Files.write(Path.of("bench/work/report-results.txt"), results);
        assertThat(last.getLong("totals.journeys")).isEqualTo(JOURNEYS);
        assertThat(last.getLong("totals.sent")).isPositive();
    }

    private JsonPath report(String campaign, String query) {
        return as(ANALYST)
                .get("/api/campaigns/{id}/report" + query, campaign)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    private void fill(String campaign) {
        String definition = repository
                .createProcessDefinitionQuery()
                .processDefinitionKey(WinBackProcess.KEY)
                .latestVersion()
                .singleResult()
                .getId();
        long base = jdbc.queryForObject("select coalesce(max(customer_key), 0) from customer", Long.class);
        jdbc.execute("insert into customer (customer_id, time_zone, origin, version, created_at, updated_at) "
                + "select 'bench-' || g, 'America/New_York', 'API', 0, now(), now() from generate_series(1, " + JOURNEYS
                + ") g");
        // journey g: customer base+g, entered over 30 days; 30 % still running, the rest converted or lapsed
        jdbc.execute("insert into campaign_enrollment (enrollment_key, campaign_key, customer_key, revision, "
                + "process_instance_id, business_key, entry_cause, entered_at, exited_at, exit_outcome) "
                + "select g, '" + campaign + "', " + base + " + g, 1, 'bench-pi-' || g, '" + campaign
                + ":bench-' || g, "
                + "'recurring:2026-11-01', timestamptz '" + START
                + "' + (g % 30) * interval '1 day' + (g % 86400) * interval '1 second', "
                + "case when g % 10 < 3 then null else timestamptz '" + START
                + "' + (g % 30 + 3) * interval '1 day' end, "
                + "case when g % 10 < 3 then null when g % 10 < 5 then 'CONVERTED' else 'LAPSED' end "
                + "from generate_series(1, " + JOURNEYS + ") g");
        // the engine's history of each journey: 6 flow nodes, the last still open for running journeys
        jdbc.execute("insert into act_hi_actinst (id_, proc_def_key_, proc_def_id_, root_proc_inst_id_, proc_inst_id_, "
                + "execution_id_, act_id_, act_name_, act_type_, start_time_, end_time_, act_inst_state_, sequence_counter_) "
                + "select 'bench-ai-' || g || '-' || n, 'win-back', '" + definition
                + "', 'bench-pi-' || g, 'bench-pi-' || g, "
                + "'bench-pi-' || g, (array['StartEvent_Due', 'Task_ReadCustomer', 'Task_ChooseChannel', "
                + "'Gateway_Channel', 'Task_SendOfferEmail', 'Event_OrderWaitOver'])[n], null, "
                + "(array['startEvent', 'serviceTask', 'businessRuleTask', 'exclusiveGateway', 'sendTask', "
                + "'intermediateTimer'])[n], "
                + "timestamp '2026-11-01 00:00:00' + (g % 30) * interval '1 day' + n * interval '1 minute', "
                + "case when n = 6 and g % 10 < 3 then null else timestamp '2026-11-01 00:00:00' + (g % 30) * interval '1 day' "
                + "+ (n + 1) * interval '1 minute' end, 0, n "
                + "from generate_series(1, " + JOURNEYS + ") g cross join generate_series(1, 6) n");
        // 5 deliveries a journey: offer and reminder e-mails, offer and reminder SMS, a series e-mail
        jdbc.execute("insert into delivery (delivery_id, process_instance_id, step_key, activity_id, "
                + "process_definition_key, campaign, customer_key, channel, test, gate_decision, status, counted, attempts, "
                + "created_at, updated_at, sent_at, first_opened_at, opens, machine_opens, first_clicked_at, clicks) "
                + "select 'bench-d-' || g || '-' || n, 'bench-pi-' || g, 'step-' || n, "
                + "(array['Task_SendOfferEmail', 'Task_SendReminderEmail', 'Task_SendOfferSms', 'Task_SendReminderSms', "
                + "'Task_SendOfferEmail2'])[n], 'win-back', '" + campaign + "', " + base + " + g, "
                + "case when n in (3, 4) then 'sms' else 'email' end, false, "
                + "case when (g + n) % 20 = 0 then 'NO_CONSENT' when (g + n) % 20 = 1 then 'QUIET_HOURS' else 'PASSED' end, "
                + "case when (g + n) % 20 = 0 then 'SKIPPED' when (g + n) % 20 = 1 then 'DEFERRED' "
                + "when (g + n) % 20 = 2 then 'BOUNCED' when (g + n) % 5 = 3 then 'SENT' else 'DELIVERED' end, "
                + "true, 1, e.entered_at + n * interval '1 hour', e.entered_at + n * interval '1 hour', "
                + "case when (g + n) % 20 > 1 then e.entered_at + n * interval '1 hour' end, "
                + "case when n not in (3, 4) and (g + n) % 4 = 0 then e.entered_at + (n + 5) * interval '1 hour' end, "
                + "case when n not in (3, 4) and (g + n) % 4 = 0 then 1 else 0 end, "
                + "case when n not in (3, 4) and (g + n) % 7 = 0 then 1 else 0 end, "
                + "case when n not in (3, 4) and (g + n) % 12 = 0 then e.entered_at + (n + 6) * interval '1 hour' end, "
                + "case when n not in (3, 4) and (g + n) % 12 = 0 then 1 else 0 end "
                + "from generate_series(1, " + JOURNEYS + ") g cross join generate_series(1, " + DELIVERIES_PER_JOURNEY
                + ") n join campaign_enrollment e on e.enrollment_key = g");
        jdbc.execute("insert into delivery_event (delivery_id, kind, occurred_at, recorded_at) "
                + "select delivery_id, 'open', first_opened_at, first_opened_at from delivery "
                + "where campaign = '" + campaign + "' and first_opened_at is not null "
                + "union all select delivery_id, 'click', first_clicked_at, first_clicked_at from delivery "
                + "where campaign = '" + campaign + "' and first_clicked_at is not null "
                + "union all select delivery_id, 'delivered', sent_at, sent_at from delivery "
                + "where campaign = '" + campaign + "' and status = 'DELIVERED' "
                + "union all select delivery_id, 'unsubscribe', sent_at, sent_at from delivery "
                + "where campaign = '" + campaign + "' and status = 'DELIVERED' and delivery_seq % 200 = 0");
        // orders of half the customers: within a day or two after entry, some weeks later
        jdbc.execute(
                "insert into customer_order (order_id, customer_key, placed_at, amount, currency, fingerprint, received_at) "
                        + "select 'bench-o-' || g, " + base + " + (g * 2 % " + JOURNEYS + ") + 1, "
                        + "e.entered_at + ((g % 9) * 12) * interval '1 hour', 20 + g % 80, 'USD', repeat('0', 64), now() "
                        + "from generate_series(1, " + ORDERS + ") g join campaign_enrollment e on e.customer_key = "
                        + base
                        + " + (g * 2 % " + JOURNEYS + ") + 1");
        jdbc.execute("analyze");
    }
}
