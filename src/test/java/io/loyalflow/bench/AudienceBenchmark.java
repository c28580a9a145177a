package io.loyalflow.bench;

import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.audience.AudienceDispatchProcess;
import io.loyalflow.audience.AudienceSyncProcess;
import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.ScheduledProcessRuns;
import io.loyalflow.testsupport.TestDatabase;
import io.restassured.path.json.JsonPath;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The first full sync of an ad audience of 1,000,000 members on PostgreSQL: {@code ./mvnw -Pbench-audiences test}
 * (figures to bench/work/audience-results.txt and docs/performance.md). A million customers with e-mail (mixed case,
 * surrounding spaces), half of them with a phone, all with ads consent, and a segment with all of them as members are
 * written straight into the tables (a test's shortcut for the load). Then the path users take: the audience is
 * created over the API with the segment as its source, the audience-dispatch timer fires, and the round's jobs run
 * one after another as the job executor would run them: the segment diff, then batches of 10,000 (five to a job)
 * read, normalised, hashed and handed to the provider (the log provider: everything but the network) and recorded as
 * sent. Target: at most 30 s, heap flat.
 */
@Tag("benchmark")
class AudienceBenchmark extends DatabaseTest {

    private static final int MEMBERS = Integer.getInteger("bench.members", 1_000_000);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ManagementService management;

    @Autowired
    RuntimeService runtime;

    @Autowired
    HistoryService history;

    private final List<String> results = new ArrayList<>();

    @Test
    void firstFullSyncOfAMillionMembers() throws Exception {
        assertThat(TestDatabase.postgres()).as("a PostgreSQL benchmark").isTrue();
        long t = System.nanoTime();
        String segment = "bench-audience";
        as(SERVICE)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Benchmark audience",
                        "conditions",
                        Map.of("field", "customerId", "op", "exists")))
                .post("/api/segments")
                .then()
                .statusCode(201);
        jdbc.execute("insert into customer (customer_id, email, phone, time_zone, origin, version, created_at, "
                + "updated_at) select 'ab-' || g, ' AB.' || g || '@Example.COM ', case when g % 2 = 0 then '+1415' "
                + "|| (2000000 + g) end, 'UTC', 'DEMO', 1, now(), now() from generate_series(1, " + MEMBERS + ") g");
        jdbc.execute("insert into customer_consent (customer_key, channel, status, source, stated_at, recorded_at) "
                + "select customer_key, 'ads', 'OPTED_IN', 'bench', now(), now() from customer "
                + "where customer_id like 'ab-%'");
        jdbc.execute("insert into segment_membership (segment_id, customer_key, entered_at) select '" + segment
                + "', customer_key, now() from customer where customer_id like 'ab-%'");
        jdbc.execute("analyze");
        record(
                "setup: %d customers with ads consent (half with a phone) in segment %s in %.0f s; %d processors, "
                        + "PostgreSQL %s, heap max %d MB",
                MEMBERS,
                segment,
                (System.nanoTime() - t) / 1e9,
                Runtime.getRuntime().availableProcessors(),
                jdbc.queryForObject("show server_version", String.class),
                Runtime.getRuntime().maxMemory() >> 20);

        long heapBefore = HeapReadings.inUseAfterGc();
        var memory = ManagementFactory.getMemoryMXBean();
        long start = System.nanoTime();
        as(ANALYST)
                .body(Map.of("id", "bench-million", "name", "A million", "segment", segment))
                .post("/api/audiences")
                .then()
                .statusCode(201);
        new ScheduledProcessRuns(AudienceDispatchProcess.KEY, management, history).fire();
        String round = runtime.createProcessInstanceQuery()
                .processDefinitionKey(AudienceSyncProcess.KEY)
                .processInstanceBusinessKey("bench-million")
                .singleResult()
                .getId();
        long heapPeak = 0;
        long firstJob = 0;
        int jobs = 0;
        for (Job job = next(round); job != null; job = next(round)) {
            long s = System.nanoTime();
            management.executeJob(job.getId());
            if (jobs++ == 0) {
                firstJob = System.nanoTime() - s;
            }
            heapPeak = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long heapAfter = HeapReadings.inUseAfterGc();
        JsonPath status = as(ANALYST)
                .get("/api/audiences/bench-million")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        record(
                "first full sync of %d members: %.1f s (target 30 s), %d jobs; the first (segment diff and the "
                        + "first batch) %.1f s, the others %.0f ms each on average",
                MEMBERS, seconds, jobs, firstJob / 1e9, (seconds - firstJob / 1e9) * 1000 / Math.max(1, jobs - 1));
        record(
                "provider %s: %d members sent in %d batches; members at Meta %d, pending %d",
                status.getString("provider"),
                status.getLong("membersSent"),
                status.getLong("batches"),
                status.getLong("members.onMeta"),
                status.getLong("members.pending"));
        record(
                "heap in use after GC: %d MB before, %d MB after; highest reading between jobs %d MB",
                heapBefore >> 20, heapAfter >> 20, heapPeak >> 20);
        assertThat(status.getLong("membersSent")).isEqualTo(MEMBERS);
        assertThat(status.getLong("members.pending")).isZero();

        Files.createDirectories(Path.of("bench/work"));
        Files.write(Path.of("bench/work/audience-results.txt"), results);
    }

    private Job next(String round) {
        return management.createJobQuery().processInstanceId(round).singleResult();
    }

    private void record(String format, Object... args) {
        String line = String.format(format, args);
        results.add(line);
        System.out.println("[audience benchmark] " + line);
    }
}
