package io.loyalflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.IntegrationTest;
import io.loyalflow.testsupport.TestDatabase;
import io.loyalflow.testsupport.TestUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Cart updates as shops send them, one request per click, through {@code PUT /api/carts/{cartId}} over HTTP
 * against the running service on PostgreSQL: {@code ./mvnw -Pbench-carts test} (figures to
 * bench/work/cart-results.txt and docs/performance.md, "Cart updates").
 *
 * <p>20,000 carts ({@code -Dbench.carts}), {@value #ROUNDS} rounds of one update per cart in shuffled order
 * (100,000 updates): the first round creates the carts (60 % name a customer, half of those not known yet, so a bare
 * customer is created), later rounds change their items, some link the anonymous carts to a customer, some
 * empty them, and one in ten is a late delivery of an older state (answered {@code applied: false}).
 * 32 requests in flight ({@code -Dbench.in-flight}) over JDK HttpClient connections, HTTP Basic as the service account.
 * Afterwards every cart must hold its newest state. The same client then times a request that only
 * authenticates ({@code GET} of an unknown cart, 404), to show what HTTP Basic (Camunda's identity service:
 * the password check and the group query, per request) costs of each update.
 */
@Tag("benchmark")
class CartUpdateBenchmark extends IntegrationTest {

    static final int CARTS = Integer.getInteger("bench.carts", 20_000);
    static final int ROUNDS = 5;
    static final int IN_FLIGHT = Integer.getInteger("bench.in-flight", 32);
    static final int WARM_UP = 3_000;

    @Autowired
    JdbcTemplate jdbc;

    private final List<String> results = new ArrayList<>();

    record Update(String cartId, int cart, Instant updatedAt, String body) {}

    @Test
    void cartUpdatesThroughTheApi() throws Exception {
        assertThat(TestDatabase.postgres())
                .as("the benchmark runs on PostgreSQL")
                .isTrue();
        TestUsers.ensure(identityService);
        String run = Long.toString(System.currentTimeMillis(), 36);
        Instant base = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Random random = new Random(18);
        // known customers: half of the named ones exist before (as profiles would)
        jdbc.update("insert into customer (customer_id, origin, created_at, updated_at, version) "
                + "select 'bench-known-" + run + "-' || g, 'PROFILE', now(), now(), 0 "
                + "from generate_series(0, 5999) g");

        List<Update> warmUp = plan("warm-" + run, 1_000, 3, base, random);
        List<Update> updates = plan(run, CARTS, ROUNDS, base, random);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(4))
                .build();
        String authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString((TestUsers.SERVICE.id + ":" + TestUsers.SERVICE.password)
                                .getBytes(StandardCharsets.UTF_8));

        drive(client, authorization, warmUp.subList(0, Math.min(WARM_UP, warmUp.size())), "warm-up");
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        Outcome outcome = drive(client, authorization, updates, "updates");
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();

        results.add(String.format(
                "%,d cart updates (%,d carts, %d rounds) with %d in flight: %.1f s, %,.0f updates/s; latency p50 %.1f ms, "
                        + "p95 %.1f ms, p99 %.1f ms, max %.1f ms; applied %,d, not newer %,d, failed %,d",
                updates.size(),
                CARTS,
                ROUNDS,
                IN_FLIGHT,
                outcome.seconds(),
                updates.size() / outcome.seconds(),
                outcome.percentile(50),
                outcome.percentile(95),
                outcome.percentile(99),
                outcome.percentile(100),
                outcome.applied(),
                outcome.notNewer(),
                outcome.failed()));
        results.add("load average before: " + load + "; after: " + loadAfter);

        // correctness: each cart holds the newest state sent, its version counts the applied updates
        Map<Integer, Instant> newest = new ConcurrentHashMap<>();
        for (Update update : updates) {
            newest.merge(update.cart(), update.updatedAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
        List<Map<String, Object>> stored = jdbc.queryForList(
                "select cart_id, updated_at, version from cart where cart_id like ?", "bench-" + run + "-%");
        assertThat(stored).hasSize(CARTS);
        long versions = 0;
        for (Map<String, Object> row : stored) {
            String id = (String) row.get("cart_id");
            int cart = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
            Instant updatedAt = ((java.sql.Timestamp) row.get("updated_at")).toInstant();
            assertThat(updatedAt).as(id).isEqualTo(newest.get(cart));
            versions += ((Number) row.get("version")).longValue();
        }
        assertThat(versions).isEqualTo(outcome.applied());
        assertThat(outcome.failed()).isZero();

        // the same plan once more through POST /api/carts/updates, as a shop's relay batching its clicks
        String batchRun = "batch-" + run;
        List<Update> batched = plan(batchRun, CARTS, ROUNDS, base, random);
        String loadBatches = Files.readString(Path.of("/proc/loadavg")).trim();
        Outcome batchOutcome = driveBatches(client, authorization, batched);
        results.add(String.format(
                "%,d cart updates in batches of %d with %d in flight: %.1f s, %,.0f updates/s; latency per batch p50 "
                        + "%.1f ms, p95 %.1f ms; applied %,d, not newer %,d, failed %,d; load average before: %s",
                batched.size(),
                BATCH,
                BATCHES_IN_FLIGHT,
                batchOutcome.seconds(),
                batched.size() / batchOutcome.seconds(),
                batchOutcome.percentile(50),
                batchOutcome.percentile(95),
                batchOutcome.applied(),
                batchOutcome.notNewer(),
                batchOutcome.failed(),
                loadBatches));
        Map<Integer, Instant> newestBatched = new ConcurrentHashMap<>();
        for (Update update : batched) {
            newestBatched.merge(update.cart(), update.updatedAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
        List<Map<String, Object>> storedBatched = jdbc.queryForList(
                "select cart_id, updated_at, version from cart where cart_id like ?", "bench-" + batchRun + "-%");
        assertThat(storedBatched).hasSize(CARTS);
        long batchedVersions = 0;
        for (Map<String, Object> row : storedBatched) {
            String id = (String) row.get("cart_id");
            int cart = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
            assertThat(((java.sql.Timestamp) row.get("updated_at")).toInstant())
                    .as(id)
                    .isEqualTo(newestBatched.get(cart));
            batchedVersions += ((Number) row.get("version")).longValue();
        }
        assertThat(batchedVersions).isEqualTo(batchOutcome.applied());
        assertThat(batchOutcome.failed()).isZero();

        authenticationOnly(client, authorization, run);
        results.add("cpus: " + Runtime.getRuntime().availableProcessors() + ", PostgreSQL "
                + jdbc.queryForObject("show server_version", String.class));
        results.forEach(System.out::println);
        Files.createDirectories(Path.of("bench/work"));
        Files.write(Path.of("bench/work/cart-results.txt"), results);
    }

    /** Rounds of one update per cart, shuffled within each round; one in ten after round 1 a late older state. */
    private static List<Update> plan(String run, int carts, int rounds, Instant base, Random random) {
        List<Update> all = new ArrayList<>(carts * rounds);
        for (int round = 0; round < rounds; round++) {
            List<Update> thisRound = new ArrayList<>(carts);
            for (int cart = 0; cart < carts; cart++) {
                int sentRound = round >= 2 && random.nextInt(10) == 0 ? round - 2 : round;
                Instant updatedAt = base.plusSeconds(cart % 3_600).plusMillis(sentRound * 1_000L + 7);
                thisRound.add(new Update(
                        "bench-" + run + "-" + cart, cart, updatedAt, body(run, cart, sentRound, updatedAt, random)));
            }
            Collections.shuffle(thisRound, random);
            all.addAll(thisRound);
        }
        return all;
    }

    private static String body(String run, int cart, int round, Instant updatedAt, Random random) {
        String customer;
        if (cart % 10 < 3) {
            customer = "\"bench-known-" + run.replaceFirst("^(warm|batch)-", "") + "-" + (cart % 6_000) + "\"";
        } else if (cart % 10 < 6) {
            customer = "\"bench-new-" + run + "-" + cart + "\"";
        } else if (cart % 10 < 8 && round >= 3) {
            // anonymous until the customer logs in
            customer = "\"bench-late-" + run + "-" + cart + "\"";
        } else {
            customer = "null";
        }
        StringBuilder items = new StringBuilder();
        int lines = round == 4 && cart % 25 == 0 ? 0 : 1 + (cart + round) % 5;
        for (int line = 0; line < lines; line++) {
            if (line > 0) {
                items.append(',');
            }
            int sku = (cart * 7 + line * 13) % 5_000;
            items.append("{\"sku\":\"SKU-")
                    .append(sku)
                    .append("\",\"name\":\"Product ")
                    .append(sku)
                    .append(" in blue\",\"quantity\":")
                    .append(1 + random.nextInt(3))
                    .append(",\"unitPrice\":")
                    .append(5 + sku % 95)
                    .append(".99,\"category\":\"Category ")
                    .append(sku % 40)
                    .append("\",\"productUrl\":\"https://shop.example/p/")
                    .append(sku)
                    .append("\",\"imageUrl\":\"https://cdn.shop.example/img/")
                    .append(sku)
                    .append(".jpg\"}");
        }
        return "{\"customerId\":" + customer + ",\"currency\":\"EUR\",\"updatedAt\":\"" + updatedAt
                + "\",\"cartUrl\":\"https://shop.example/cart/" + cart + "\",\"items\":[" + items + "]}";
    }

    record Outcome(double seconds, long[] latenciesNanos, long applied, long notNewer, long failed) {
        double percentile(int p) {
            if (latenciesNanos.length == 0) {
                return 0;
            }
            int index = Math.min(latenciesNanos.length - 1, (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, index)] / 1e6;
        }
    }

    /** One request: its updates' count (1 for a PUT, the batch's size for a batch). */
    record Unit(HttpRequest request, int updates) {}

    /** One PUT per update, {@link #IN_FLIGHT} at a time. */
    private Outcome drive(HttpClient client, String authorization, List<Update> updates, String what)
            throws InterruptedException {
        List<Unit> units = updates.stream()
                .map(update -> new Unit(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/carts/" + update.cartId()))
                                .header("Authorization", authorization)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(update.body()))
                                .build(),
                        1))
                .toList();
        return send(client, units, IN_FLIGHT, what);
    }

    static final int BATCH = 100;
    static final int BATCHES_IN_FLIGHT = 8;

    /** The updates in batches of {@link #BATCH}, in plan order, a batch per request; latencies per batch. */
    private Outcome driveBatches(HttpClient client, String authorization, List<Update> updates)
            throws InterruptedException {
        List<Unit> units = new ArrayList<>();
        for (int from = 0; from < updates.size(); from += BATCH) {
            List<Update> batch = updates.subList(from, Math.min(updates.size(), from + BATCH));
            StringBuilder body = new StringBuilder("{\"updates\":[");
            for (int i = 0; i < batch.size(); i++) {
                Update update = batch.get(i);
                body.append(i == 0 ? "" : ",")
                        .append("{\"cartId\":\"")
                        .append(update.cartId())
                        .append("\",")
                        .append(update.body().substring(1));
            }
            body.append("]}");
            units.add(new Unit(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/carts/updates"))
                            .header("Authorization", authorization)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(),
                    batch.size()));
        }
        return send(client, units, BATCHES_IN_FLIGHT, "batch");
    }

    /** Sends the requests, {@code inFlight} at a time; counts each answer's applied and not-newer updates. */
    private Outcome send(HttpClient client, List<Unit> units, int inFlight, String what) throws InterruptedException {
        long[] latencies = new long[units.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicLong applied = new AtomicLong();
        AtomicLong notNewer = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService senders = Executors.newFixedThreadPool(inFlight);
        long start = System.nanoTime();
        for (int t = 0; t < inFlight; t++) {
            senders.execute(() -> {
                for (int i = next.getAndIncrement(); i < units.size(); i = next.getAndIncrement()) {
                    Unit unit = units.get(i);
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> response =
                                client.send(unit.request(), HttpResponse.BodyHandlers.ofString());
                        latencies[i] = System.nanoTime() - sent;
                        if (response.statusCode() != 200) {
                            failed.addAndGet(unit.updates());
                            if (failures.size() < 5) {
                                failures.add(response.statusCode() + " " + response.body());
                            }
                        } else {
                            int yes = response.body().split("\"applied\":true", -1).length - 1;
                            applied.addAndGet(yes);
                            notNewer.addAndGet(unit.updates() - yes);
                        }
                    } catch (Exception e) {
                        latencies[i] = System.nanoTime() - sent;
                        failed.addAndGet(unit.updates());
                        if (failures.size() < 5) {
                            failures.add(e.toString());
                        }
                    }
                }
            });
        }
        senders.shutdown();
        assertThat(senders.awaitTermination(30, TimeUnit.MINUTES)).isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        if (!failures.isEmpty()) {
            results.add(what + " failures (first ones): " + failures);
        }
        return new Outcome(seconds, latencies, applied.get(), notNewer.get(), failed.get());
    }

    /** Requests that only authenticate (404 for an unknown cart: one primary-key lookup besides). */
    private void authenticationOnly(HttpClient client, String authorization, String run) throws InterruptedException {
        int requests = 20_000;
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT);
        long start = System.nanoTime();
        for (int t = 0; t < IN_FLIGHT; t++) {
            senders.execute(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    HttpRequest request = HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + port + "/api/carts/none-" + run))
                            .header("Authorization", authorization)
                            .GET()
                            .build();
                    long sent = System.nanoTime();
                    try {
                        client.send(request, HttpResponse.BodyHandlers.discarding());
                    } catch (Exception e) {
                        // counted by its latency only
                    }
                    latencies[i] = System.nanoTime() - sent;
                }
            });
        }
        senders.shutdown();
        senders.awaitTermination(30, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        Outcome outcome = new Outcome(seconds, latencies, 0, 0, 0);
        results.add(String.format(
                "authentication only (GET of an unknown cart, 404), %,d requests with %d in flight: %,.0f requests/s; "
                        + "p50 %.1f ms, p95 %.1f ms",
                requests, IN_FLIGHT, requests / seconds, outcome.percentile(50), outcome.percentile(95)));
        long t0 = System.nanoTime();
        for (int i = 0; i < 2_000; i++) {
            identityService.checkPassword(TestUsers.SERVICE.id, TestUsers.SERVICE.password);
            identityService.createGroupQuery().groupMember(TestUsers.SERVICE.id).list();
        }
        results.add(String.format(
                "identity service, one thread: password check + group query %.2f ms per request",
                (System.nanoTime() - t0) / 1e6 / 2_000));
    }
}
