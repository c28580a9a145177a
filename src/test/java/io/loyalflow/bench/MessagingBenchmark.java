package io.loyalflow.bench;

import static io.loyalflow.messaging.MessagingVariables.ENGAGED_DELIVERY_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.messaging.MessagingIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Webhook acceptance, applying, and waking journeys, measured on PostgreSQL in one run:
 * {@code ./mvnw -Pbench-messaging test} (figures go to bench/work/messaging-results.txt and
 * docs/performance.md). Not part of the test command: it takes minutes and asserts nothing a user
 * would see, beyond that every event was applied.
 */
@Tag("benchmark")
class MessagingBenchmark extends MessagingIntegrationTest {

    private static final int BATCH = 1_000;
    private static final int STATUS_BATCHES = Integer.getInteger("bench.statusBatches", 100);
    private static final int WAITING = Integer.getInteger("bench.waiting", 100_000);
    private static final int CORRELATIONS = Integer.getInteger("bench.correlations", 5_000);
    private static final int THREADS = 4;

    private final List<String> results = new ArrayList<>();

    @Test
    void webhookAcceptanceApplyingAndWakingJourneys() throws Exception {
        clock.reset();
        acceptAndApplyStatusEvents();
        wakeJourneys();
        Files.createDirectories(Path.of("bench/work"));
        Files.write(Path.of("bench/work/messaging-results.txt"), results);
    }

    private void acceptAndApplyStatusEvents() throws Exception {
        int deliveries = STATUS_BATCHES * BATCH / 2;
        List<String> ids = insertDeliveries(deliveries, null);
        List<byte[]> batches = new ArrayList<>();
        for (int b = 0; b < STATUS_BATCHES; b++) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < BATCH; i++) {
                int n = b * BATCH + i;
                String id = ids.get(n / 2);
                if (i > 0) {
                    json.append(',');
                }
                json.append(sendGridEvent(
                        n % 2 == 0 ? "processed" : "delivered",
                        id,
                        "bench" + (n / 2) + "@example.com",
                        "status-" + n,
                        null));
            }
            batches.add(json.append(']').toString().getBytes(StandardCharsets.UTF_8));
        }
        // warm-up: one batch, not counted (first requests compile and plan)
        post(batches.get(0));
        jdbc.update("delete from provider_event");

        int half = STATUS_BATCHES / 2;
        accept(batches.subList(0, half), 1);
        accept(batches.subList(half, STATUS_BATCHES), THREADS);
        int events = STATUS_BATCHES * BATCH;

        long applyStarted = System.nanoTime();
        int applied = applyWebhookEvents();
        double applySeconds = (System.nanoTime() - applyStarted) / 1e9;
        assertThat(applied).isEqualTo(events);
        assertThat(jdbc.queryForObject("select count(*) from delivery where status = 'DELIVERED'", Integer.class))
                .isEqualTo(deliveries);
        record("apply status-only: %d events in %.2f s = %.0f events/s", applied, applySeconds, applied / applySeconds);
    }

    /** Posts the batches from {@code clients} concurrent clients; records throughput and per-batch latency. */
    private void accept(List<byte[]> batches, int clients) throws Exception {
        long[] latencies = new long[batches.size()];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        List<Future<?>> posts = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            int index = b;
            posts.add(pool.submit(() -> {
                long t = System.nanoTime();
                post(batches.get(index));
                latencies[index] = System.nanoTime() - t;
            }));
        }
        for (Future<?> post : posts) {
            post.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        int events = batches.size() * BATCH;
        record(
                "accept: %d events in %d signed batches of %d, %d client(s): %.2f s = %.0f events/s; "
                        + "per batch p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                events,
                batches.size(),
                BATCH,
                clients,
                seconds,
                events / seconds,
                latencies[latencies.length / 2] / 1e6,
                latencies[(int) Math.ceil(latencies.length * 0.99) - 1] / 1e6,
                latencies[latencies.length - 1] / 1e6);
    }

    private void wakeJourneys() throws Exception {
        repositoryService
                .createDeployment()
                .name("bench-models")
                .enableDuplicateFiltering(true)
                .addClasspathResource("messaging/bench-wait-for-open.bpmn")
                .deploy();
        long startedAt = System.nanoTime();
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        ExecutorService starters = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> starts = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            starts.add(starters.submit(() -> {
                for (int i = 0; i < WAITING / THREADS; i++) {
                    started.add(runtimeService
                            .startProcessInstanceByKey("bench-wait-for-open")
                            .getId());
                }
            }));
        }
        for (Future<?> start : starts) {
            start.get();
        }
        starters.shutdown();
        // a plain list from here: forEach on a synchronized list's slice would hold its lock and serialise the threads
        List<String> instances = new ArrayList<>(started);
        record(
                "setup: %d journeys waiting for Msg_EmailOpened, started in %.0f s",
                instances.size(), (System.nanoTime() - startedAt) / 1e9);
        Collections.shuffle(instances);
        List<String> deliveries = insertDeliveries(instances.size(), instances);
        // What autovacuum does a minute after a bulk load: without fresh statistics PostgreSQL plans the
        // engine's correlation query for an empty subscription table and scans all 100,000 (0.65 s each).
        jdbc.execute("analyze");

        List<Double> raw = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        int offset = 0;
        // alternate, and swap who goes first in the second round, so drift favours neither
        for (int round = 0; round < 2; round++) {
            for (int turn = 0; turn < 2; turn++) {
                if ((round + turn) % 2 == 0) {
                    raw.add(rawCorrelations(instances.subList(offset, offset + CORRELATIONS)));
                } else {
                    ours.add(webhookCorrelations(deliveries.subList(offset, offset + CORRELATIONS)));
                }
                offset += CORRELATIONS;
            }
        }
        assertThat(runtimeService
                        .createProcessInstanceQuery()
                        .processDefinitionKey("bench-wait-for-open")
                        .count())
                .isEqualTo(WAITING - 4L * CORRELATIONS);
        double rawRate = raw.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double ourRate =
                ours.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        record(
                "wake journeys (%d waiting, history FULL, %d threads): raw engine correlate by process instance id %s "
                        + "= mean %.0f/s; open events through webhook store + apply + correlate %s = mean %.0f/s; ratio %.2f",
                WAITING, THREADS, format(raw), rawRate, format(ours), ourRate, ourRate / rawRate);
    }

    private double rawCorrelations(List<String> instances) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        long started = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<String> slice =
                    instances.subList(t * instances.size() / THREADS, (t + 1) * instances.size() / THREADS);
            runs.add(workers.submit(() -> slice.forEach(id -> runtimeService
                    .createMessageCorrelation("Msg_EmailOpened")
                    .processInstanceId(id)
                    .setVariable(ENGAGED_DELIVERY_ID.name(), "raw")
                    .correlateAllWithResult())));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        workers.shutdown();
        return instances.size() / seconds;
    }

    /** Stores the opens (not timed: acceptance is measured above), then times applying them. */
    private double webhookCorrelations(List<String> deliveryIds) {
        for (int from = 0; from < deliveryIds.size(); from += BATCH) {
            StringBuilder json = new StringBuilder("[");
            for (int i = from; i < Math.min(from + BATCH, deliveryIds.size()); i++) {
                if (i > from) {
                    json.append(',');
                }
                json.append(sendGridEvent(
                        "open", deliveryIds.get(i), "bench@example.com", "open-" + deliveryIds.get(i), null));
            }
            post(json.append(']').toString().getBytes(StandardCharsets.UTF_8));
        }
        long started = System.nanoTime();
        int applied = applyWebhookEvents();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(applied).isEqualTo(deliveryIds.size());
        assertThat(jdbc.queryForObject(
                        "select count(*) from delivery_event where correlation = 'DONE' and delivery_id in "
                                + "(select delivery_id from delivery where delivery_id >= ? and delivery_id <= ?)",
                        Integer.class,
                        deliveryIds.stream().min(String::compareTo).orElseThrow(),
                        deliveryIds.stream().max(String::compareTo).orElseThrow()))
                .isGreaterThanOrEqualTo(deliveryIds.size());
        return applied / seconds;
    }

    private List<String> insertDeliveries(int count, List<String> processInstances) {
        List<String> ids = new ArrayList<>(count);
        List<Object[]> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            rows.add(new Object[] {
                id,
                processInstances == null ? null : processInstances.get(i),
                processInstances == null ? null : "Task_Send#1",
                "bench@example.com",
                java.sql.Timestamp.from(now),
                java.sql.Timestamp.from(now)
            });
            if (rows.size() == 5_000 || i == count - 1) {
                jdbc.batchUpdate(
                        "insert into delivery (delivery_id, process_instance_id, step_key, channel, address, test, "
                                + "gate_decision, status, counted, provider, attempts, created_at, updated_at) "
                                + "values (?, ?, ?, 'email', ?, false, 'PASSED', 'SENT', true, 'sendgrid', 1, ?, ?)",
                        rows);
                rows.clear();
            }
        }
        return ids;
    }

    /** A lean HTTP client, so the figures are the service's and not a test library's. */
    private final HttpClient http = HttpClient.newHttpClient();

    private void post(byte[] body) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String signature = signSendGrid(timestamp, body);
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sendgrid"))
                            .header("Content-Type", "application/json")
                            .header("X-Twilio-Email-Event-Webhook-Signature", signature)
                            .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("webhook answered " + response.statusCode() + ": " + response.body());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String format(List<Double> rates) {
        return rates.stream().map(rate -> String.format("%.0f", rate)).toList().toString();
    }

    private void record(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("BENCH " + line);
        results.add(line);
    }
}
