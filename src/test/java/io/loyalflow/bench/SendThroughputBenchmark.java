package io.loyalflow.bench;

import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.messaging.MessagingIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Send steps per second through the real send delegate, the outbox (gate read, claim under the
 * frequency cap's lock, provider call, outcome) and the real SendGrid SDK against WireMock, with the
 * send jobs run on 4 threads as the job executor runs them. Two loads: every send to another customer
 * (no two sends wait for one lock), and every send to one of 4 customers (the sends of one customer
 * queue for its lock). The cap is raised so that nothing is capped and every job sends. Run on
 * PostgreSQL: {@code ./mvnw -B -q surefire:test@postgres -Dtest=SendThroughputBenchmark
 * -Dgroups=benchmark -DexcludedGroups=none} after test-compile; figures are appended to
 * bench/work/send-results.txt and docs/performance.md.
 */
@Tag("benchmark")
class SendThroughputBenchmark extends MessagingIntegrationTest {

    private static final int SENDS = Integer.getInteger("bench.sends", 1_000);
    private static final int THREADS = 4;
    private static final int HOT_CUSTOMERS = 4;

    @DynamicPropertySource
    static void uncapped(DynamicPropertyRegistry registry) {
        registry.add("loyalflow.messaging.email-cap.max", () -> "1000000");
    }

    @Test
    void sendStepsPerSecond() throws Exception {
        repositoryService
                .createDeployment()
                .name("send-bench-models")
                .enableDuplicateFiltering(true)
                .addClasspathResource("messaging/send-cost-test.bpmn")
                .deploy();
        clock.set(Instant.parse("2026-06-01T14:00:00Z")); // 10:00 in New York: inside the e-mail window
        sendGridAccepts("sg-bench");
        List<String> spread = new ArrayList<>();
        for (int i = 0; i < SENDS; i++) {
            spread.add(customer());
        }
        List<String> hot = new ArrayList<>();
        for (int i = 0; i < HOT_CUSTOMERS; i++) {
            hot.add(customer());
        }
        // warm-up, not counted
        run(spread.subList(0, 200));
        List<String> lines = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            lines.add(String.format(
                    "round %d: one send per customer %.0f sends/s; all sends to %d customers %.0f sends/s",
                    round + 1, run(spread), HOT_CUSTOMERS, run(repeat(hot, SENDS))));
        }
        lines.forEach(line -> System.out.println("BENCH " + line));
        Files.createDirectories(Path.of("bench/work"));
        Files.write(
                Path.of("bench/work/send-results.txt"), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private String customer() {
        return newCustomer("bench-" + UUID.randomUUID() + "@example.com", null, "America/New_York", true, false);
    }

    private static List<String> repeat(List<String> customers, int count) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(customers.get(i % customers.size()));
        }
        return all;
    }

    /** Starts one journey per entry (not timed), then runs their send jobs on 4 threads; sends per second. */
    private double run(List<String> customers) throws Exception {
        ConcurrentLinkedQueue<String> jobs = new ConcurrentLinkedQueue<>();
        for (String customer : customers) {
            String journey = runtimeService
                    .startProcessInstanceByKey("send-cost-test", Map.of(CUSTOMER_ID.name(), customer))
                    .getId();
            jobs.add(managementService
                    .createJobQuery()
                    .processInstanceId(journey)
                    .singleResult()
                    .getId());
        }
        int before = sendGridRequests();
        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        long started = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            runs.add(workers.submit(() -> {
                for (String job = jobs.poll(); job != null; job = jobs.poll()) {
                    managementService.executeJob(job);
                }
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        workers.shutdown();
        assertThat(sendGridRequests() - before).isEqualTo(customers.size());
        return customers.size() / seconds;
    }
}
