package io.loyalflow.platform;

import static io.loyalflow.testsupport.TestUsers.MONITORING;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.IntegrationTest;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The modules' own thread pools are Spring beans measured like every executor: Micrometer's
 * {@code executor.*} meters, tagged with the bean name, in the registry and in the Prometheus scrape.
 */
class ExecutorMetricsTest extends IntegrationTest {

    /** Bean name to the threads it keeps (0: a thread per task, ended when idle). */
    private static final Map<String, Integer> CORE_THREADS = Map.of(
            "webhookApplyExecutor", 1,
            "webhookWakeExecutor", 1,
            "engagementCorrelationExecutor", 4,
            "orderImportWriterExecutor", 0,
            "segmentFeaturesWriterExecutor", 0,
            "segmentLedgerWriterExecutor", 0);

    @Autowired
    MeterRegistry meters;

    @Autowired
    ApplicationContext context;

    @Test
    void everyModuleExecutorIsMeasuredUnderItsBeanName() {
        CORE_THREADS.forEach((name, threads) -> {
            assertThat(context.getBean(name)).as(name).isInstanceOf(ThreadPoolTaskExecutor.class);
            assertThat(meters.find("executor.completed").tag("name", name).functionCounter())
                    .as(name)
                    .isNotNull();
            Gauge core = meters.find("executor.pool.core").tag("name", name).gauge();
            assertThat(core).as(name).isNotNull();
            assertThat(core.value()).as(name + " core threads").isEqualTo(threads.doubleValue());
        });
    }

    @Test
    void aTaskRunOnAnExecutorIsCounted() throws Exception {
        String name = "segmentLedgerWriterExecutor";
        ThreadPoolTaskExecutor executor = context.getBean(name, ThreadPoolTaskExecutor.class);
        FunctionCounter completed =
                meters.find("executor.completed").tag("name", name).functionCounter();
        double before = completed.count();
        String thread = CompletableFuture.supplyAsync(
                        () -> Thread.currentThread().getName(), executor)
                .get(10, TimeUnit.SECONDS);
        assertThat(thread).startsWith("segment-ledger-writer-");
        // a task counts as completed just after its result is handed over
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (completed.count() == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(completed.count()).isEqualTo(before + 1);
    }

    @Test
    void prometheusShowsTheExecutors() {
        String scrape = as(MONITORING)
                .get("/actuator/prometheus")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        CORE_THREADS
                .keySet()
                .forEach(name -> assertThat(scrape)
                        .as(name)
                        .containsPattern("(?m)^executor_completed_tasks_total\\{[^}]*name=\"" + name + "\"[^}]*} "));
    }
}
