package io.loyalflow.platform;

import static io.loyalflow.journey.WinBackProcess.Element.EVENT_ORDER_WAIT_OVER;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.messaging.EngagementMessages;
import io.loyalflow.testsupport.ServiceProcess;
import io.loyalflow.testsupport.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Loyalflow nodes, each a JVM of its own, on one PostgreSQL database (Camunda's homogeneous
 * cluster), both with the job executor on:
 * <ol>
 *   <li>node A creates the schema, then node B starts; customers with e-mail consent are created;</li>
 *   <li>journeys that send an e-mail and wait for its open are entered over both nodes' APIs; signed
 *       SendGrid event batches, with duplicates, are posted to both nodes at once: each event is stored
 *       and applied once (opens and clicks per delivery as sent), and each journey is woken once;</li>
 *   <li>the customers are entered into a win-back campaign (log provider) over both nodes' APIs, each
 *       request with an idempotency key; once a share of the offers has gone out, node B is killed
 *       ({@code kill -9}) and not replaced; its enrollment requests go to node A with the same
 *       idempotency key, as a load balancer's retry would; node A takes over the jobs B held once their
 *       lock expires (lock time 10 s here);</li>
 *   <li>every journey waits at its 14-day timer, each job ran once (job log), no step has two
 *       deliveries, none is left in progress, and each node ran a share of the jobs.</li>
 * </ol>
 * PostgreSQL run only: {@code ./mvnw -B surefire:test@postgres -Dtest=ClusterTest} (after test-compile);
 * {@code -Dloyalflow.cluster.journeys=N} changes the number of journeys (5,000 by default). Figures go
 * to the output (lines starting with {@code CLUSTER}) and docs/performance.md, "Two nodes".
 */
@Tag("database")
@Tag("postgres-only")
class ClusterTest {

    private static final int JOURNEYS = Integer.getInteger("loyalflow.cluster.journeys", 5_000);
    /** Node B is killed once this share of the journeys' offers is recorded. */
    private static final double KILL_AT = 0.3;

    private static final int LOCK_TIME_MILLIS = 10_000;
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-password-for-cluster-test";
    private static final String WIN_BACK = "cluster-win-back";
    private static final String OPENS = "cluster-opens";
    private static final String OPEN_WAIT_TEMPLATE = "cluster-open-wait-test";
    private static final String NODE_A = "node-a";
    private static final String NODE_B = "node-b";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    private static final KeyPair WEBHOOK_KEYS = webhookKeys();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private TestDatabase database;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void twoNodesShareTheJobsANodeKilledMidRunLosesNothingAndWebhooksToBothApplyOnce() throws Exception {
        long testStarted = System.nanoTime();
        database = TestDatabase.createPostgres();
        ServiceProcess a = null;
        ServiceProcess b = null;
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            long startA = System.nanoTime();
            a = startNode(NODE_A, "a");
            report("node A (creates the schema) healthy after %.1f s", seconds(startA));
            ServiceProcess nodeA = a;
            // B starts once A has created the schema; customers go in through A meanwhile
            long startB = System.nanoTime();
            Future<ServiceProcess> startingB =
                    Executors.newSingleThreadExecutor(daemon()).submit(() -> startNode(NODE_B, "b"));
            long customersStarted = System.nanoTime();
            createCustomers(clients, nodeA);
            report("%d customers created over node A's API in %.1f s", JOURNEYS, seconds(customersStarted));
            b = startingB.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            report("node B healthy %.1f s after its start", seconds(startB));
            ServiceProcess nodeB = b;

            // ---- webhooks to both nodes
            webhooks(clients, a, b);

            // ---- win-back: enrollments over both APIs while the job executors run; B killed on the way
            createCampaign(a, WIN_BACK, WinBackProcess.KEY, winBackSettings());

            EnrollmentCounts counts = new EnrollmentCounts();
            long enrollStarted = System.nanoTime();
            List<Future<?>> enrollments = new ArrayList<>();
            for (int i = 1; i <= JOURNEYS; i++) {
                String customer = customerId(i);
                boolean toB = i % 2 == 0;
                enrollments.add(clients.submit(() -> enroll(WIN_BACK, customer, toB ? nodeB : nodeA, nodeA, counts)));
            }
            long killAt = (long) Math.ceil(JOURNEYS * KILL_AT);
            // killed while it holds job locks, else there would be nothing to take over
            awaitTrue(
                    "a share of the offers is sent, and node B holds job locks",
                    Duration.ofMinutes(10),
                    () -> deliveries(WIN_BACK) >= killAt
                            && count("select count(*) from act_ru_job where lock_owner_ like ?", NODE_B + "/%") > 0);
            Map<String, Long> jobsBeforeKill = successfulJobsByHost(WinBackProcess.KEY);
            long killed = System.nanoTime();
            b.process.destroyForcibly();
            assertThat(b.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long deliveriesAtKill = deliveries(WIN_BACK);
            List<String> heldByB = strings("select id_ from act_ru_job where lock_owner_ like ?", NODE_B + "/%");
            report(
                    "node B killed (SIGKILL) %.1f s after the first enrollment, at %d of %d offers; jobs run so far by "
                            + "node: %s; B held %d job lock(s)",
                    seconds(enrollStarted), deliveriesAtKill, JOURNEYS, jobsBeforeKill, heldByB.size());
            assertThat(heldByB)
                    .as("node B held jobs when it was killed (else nothing is taken over)")
                    .isNotEmpty();

            Duration takeover = awaitTrue(
                    "node A took over the jobs B held",
                    Duration.ofSeconds(LOCK_TIME_MILLIS / 1000 + 60),
                    () -> count(
                                    "select count(*) from act_ru_job where id_ = any(?) and lock_owner_ like ?",
                                    heldByB,
                                    NODE_B + "/%")
                            == 0);
            report(
                    "node A took over B's %d locked job(s) %.1f s after the kill (lock time %d s)",
                    heldByB.size(), takeover.toMillis() / 1000.0, LOCK_TIME_MILLIS / 1000);

            for (Future<?> enrollment : enrollments) {
                enrollment.get(10, TimeUnit.MINUTES);
            }
            report(
                    "%d enrollments answered in %.1f s: %d by node A, %d by node B before the kill, %d failed over from B "
                            + "to A (of which %d had been committed by B: 200 with the same journey)",
                    JOURNEYS,
                    seconds(enrollStarted),
                    counts.byA.get(),
                    counts.byB.get(),
                    counts.failedOver.get(),
                    counts.alreadyThere.get());

            // no replacement for B: node A runs the rest alone
            awaitTrue(
                    "every win-back journey waits at its timer",
                    Duration.ofMinutes(10),
                    () -> waitingAtTimer() == JOURNEYS);
            report(
                    "all %d journeys wait at the 14-day timer %.1f s after the first enrollment",
                    JOURNEYS, seconds(enrollStarted));
            assertJourneysAndDeliveries(jobsBeforeKill, heldByB);
            report("whole test %.0f s", seconds(testStarted));
        } finally {
            clients.shutdownNow();
            for (ServiceProcess node : new ServiceProcess[] {a, b}) {
                if (node != null) {
                    node.stop();
                }
            }
        }
    }

    // ---- journeys

    private void assertJourneysAndDeliveries(Map<String, Long> jobsBeforeKill, List<String> heldByB) {
        assertThat(count("select count(*) from campaign_enrollment where campaign_key = ?", WIN_BACK))
                .isEqualTo(JOURNEYS);
        assertThat(count(
                        "select count(distinct customer_key) from campaign_enrollment where campaign_key = ?",
                        WIN_BACK))
                .isEqualTo(JOURNEYS);
        // every enrollment has its journey, with the business key <campaign>:<customer>, waiting at the timer
        assertThat(count(
                        "select count(*) from campaign_enrollment en join customer c on c.customer_key = en.customer_key "
                                + "join act_ru_execution pi on pi.id_ = en.process_instance_id and pi.parent_id_ is null "
                                + "and pi.business_key_ = ? || ':' || c.customer_id "
                                + "join act_ru_execution w on w.proc_inst_id_ = pi.id_ and w.act_id_ = ? "
                                + "where en.campaign_key = ? and en.business_key = pi.business_key_ and en.exited_at is null",
                        WIN_BACK,
                        EVENT_ORDER_WAIT_OVER.id(),
                        WIN_BACK))
                .isEqualTo(JOURNEYS);
        assertThat(count(
                        "select count(*) from act_ru_execution where parent_id_ is null and business_key_ like ?",
                        WIN_BACK + ":%"))
                .as("no journey without its enrollment")
                .isEqualTo(JOURNEYS);

        assertThat(count("select count(*) from (select process_instance_id, activity_id from delivery "
                        + "group by process_instance_id, activity_id having count(*) > 1) doubled"))
                .as("no step with two deliveries")
                .isZero();
        Map<String, Long> statuses =
                countsBy("select status, count(*) from delivery where campaign = ? group by status", WIN_BACK);
        report("win-back deliveries by status: %s", statuses);
        assertThat(statuses.keySet())
                .as("every delivery in a final state: sent (log provider), or UNKNOWN if B died mid-send")
                .isSubsetOf("LOGGED", "UNKNOWN");
        assertThat(statuses.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(JOURNEYS);
        assertThat(count(
                        "select count(distinct process_instance_id) from delivery where campaign = ? and activity_id = ?",
                        WIN_BACK,
                        TASK_SEND_OFFER_EMAIL.id()))
                .isEqualTo(JOURNEYS);

        Map<String, Long> jobs = successfulJobsByHost(WinBackProcess.KEY);
        Map<String, Long> failed = countsBy(
                "select hostname_, count(*) from act_hi_job_log where job_state_ = 1 and process_def_key_ = ? "
                        + "group by hostname_",
                WinBackProcess.KEY);
        long total = jobs.values().stream().mapToLong(Long::longValue).sum();
        report(
                "win-back jobs run by node (job log, successful): %s of %d; before the kill: %s; failed attempts "
                        + "(retried): %s",
                jobs, total, jobsBeforeKill, failed);
        assertThat(total)
                .as("two jobs per journey (read the customer, send the offer), each run once")
                .isEqualTo(2L * JOURNEYS);
        assertThat(jobsBeforeKill.getOrDefault(NODE_A, 0L)).isPositive();
        assertThat(jobsBeforeKill.getOrDefault(NODE_B, 0L)).isPositive();
        assertThat(count(
                        "select count(*) from act_hi_job_log where job_id_ = any(?) and job_state_ = 2 and hostname_ = ?",
                        heldByB,
                        NODE_A))
                .as("node A ran every job B held when it died")
                .isEqualTo(heldByB.size());
    }

    private long waitingAtTimer() {
        return count(
                "select count(*) from act_ru_execution e join act_re_procdef d on d.id_ = e.proc_def_id_ "
                        + "where d.key_ = ? and e.act_id_ = ?",
                WinBackProcess.KEY,
                EVENT_ORDER_WAIT_OVER.id());
    }

    private long deliveries(String campaign) {
        return count("select count(*) from delivery where campaign = ?", campaign);
    }

    private Map<String, Long> successfulJobsByHost(String processKey) {
        return countsBy(
                "select hostname_, count(*) from act_hi_job_log where job_state_ = 2 and process_def_key_ = ? "
                        + "group by hostname_ order by hostname_",
                processKey);
    }

    private static final class EnrollmentCounts {
        final AtomicInteger byA = new AtomicInteger();
        final AtomicInteger byB = new AtomicInteger();
        final AtomicInteger failedOver = new AtomicInteger();
        final AtomicInteger alreadyThere = new AtomicInteger();
    }

    /**
     * Enters the customer through the given node; when that node is gone (refused, reset, no answer),
     * through the other with the same idempotency key, as a load balancer's retry would.
     */
    private Void enroll(
            String campaign, String customer, ServiceProcess node, ServiceProcess fallback, EnrollmentCounts counts)
            throws Exception {
        String body = "{\"customerId\":\"" + customer + "\",\"idempotencyKey\":\"enroll-" + customer + "\"}";
        String path = "/api/campaigns/" + campaign + "/enrollments";
        if (node != fallback && node.process.isAlive()) {
            try {
                HttpResponse<String> response = send(node, "POST", path, body);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                counts.byB.incrementAndGet();
                return null;
            } catch (IOException nodeGone) {
                // the node died with the request under way: it may or may not have committed the journey
            }
        }
        if (node != fallback) {
            counts.failedOver.incrementAndGet();
        }
        HttpResponse<String> response = send(fallback, "POST", path, body);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        if (response.statusCode() == 200) {
            counts.alreadyThere.incrementAndGet();
        } else if (node == fallback) {
            counts.byA.incrementAndGet();
        }
        return null;
    }

    private void createCustomers(ExecutorService clients, ServiceProcess node) throws Exception {
        String zone = daytimeZone().getId();
        List<Future<?>> puts = new ArrayList<>();
        for (int i = 1; i <= JOURNEYS; i++) {
            String customer = customerId(i);
            puts.add(clients.submit(() -> {
                String body = """
                        {"email": "%s@example.com", "firstName": "Ann", "timeZone": "%s",
                         "consents": {"email": {"status": "OPTED_IN", "source": "checkout", "statedAt": "2025-01-01T00:00:00Z"}}}""".formatted(customer, zone);
                HttpResponse<String> response = send(node, "PUT", "/api/customers/" + customer, body);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                return null;
            }));
        }
        for (Future<?> put : puts) {
            put.get(3, TimeUnit.MINUTES);
        }
    }

    private void createCampaign(ServiceProcess node, String id, String template, Map<String, Object> settings)
            throws Exception {
        Map<String, Object> campaign = new LinkedHashMap<>();
        campaign.put("id", id);
        campaign.put("name", "Cluster test " + id);
        campaign.put("template", template);
        campaign.put("settings", settings);
        HttpResponse<String> created = send(node, "POST", "/api/campaigns", JSON.writeValueAsString(campaign));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> activated = send(node, "POST", "/api/campaigns/" + id + "/activate", "");
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
    }

    private static Map<String, Object> winBackSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "API_ONLY"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put(
                "messages",
                Map.of(
                        TASK_SEND_OFFER_EMAIL.id(), Map.of("templateId", "d-0123456789abcdef0123456789abcdef"),
                        TASK_SEND_OFFER_SMS.id(), Map.of("smsText", "15% off your next order: BACK15")));
        settings.put("waits", Map.of("orderWait", "P14D"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        settings.put("options", Map.of("secondReminder", false));
        return settings;
    }

    // ---- webhooks

    /**
     * A campaign whose journeys send one e-mail and wait for its open (the nodes' job executors share
     * them); then SendGrid batches for their deliveries (processed, delivered, two opens, a click), each
     * batch posted to both nodes at once and every third batch a third time.
     */
    private void webhooks(ExecutorService clients, ServiceProcess a, ServiceProcess b) throws Exception {
        int journeys = Math.max(10, JOURNEYS / 10);
        long started = System.nanoTime();
        deploy(a, "/platform/" + OPEN_WAIT_TEMPLATE + ".bpmn");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "API_ONLY"));
        settings.put("sender", Map.of("email", "news@shop.example", "name", "The Shop"));
        settings.put("messages", Map.of("Task_SendEmail", Map.of("templateId", "d-00000000000000000000000000000001")));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        createCampaign(b, OPENS, OPEN_WAIT_TEMPLATE, settings);
        EnrollmentCounts counts = new EnrollmentCounts();
        List<Future<?>> enrollments = new ArrayList<>();
        for (int i = 1; i <= journeys; i++) {
            String customer = customerId(i);
            ServiceProcess node = i % 2 == 0 ? b : a;
            enrollments.add(clients.submit(() -> enroll(OPENS, customer, node, node, counts)));
        }
        for (Future<?> enrollment : enrollments) {
            enrollment.get(10, TimeUnit.MINUTES);
        }
        String journeysSql = "select process_instance_id from campaign_enrollment where campaign_key = ?";
        awaitTrue(
                "the journeys wait for their open",
                Duration.ofMinutes(10),
                () -> count(
                                "select count(*) from act_ru_event_subscr where event_name_ = ? and proc_inst_id_ in ("
                                        + journeysSql + ")",
                                EngagementMessages.EMAIL_OPENED,
                                OPENS)
                        == journeys);
        report(
                "%d journeys of a send-then-wait-for-the-open campaign entered over both nodes and waiting after %.1f s; "
                        + "their jobs by node: %s",
                journeys, seconds(started), successfulJobsByHost(OPEN_WAIT_TEMPLATE));

        List<Map<String, Object>> events = new ArrayList<>();
        long now = Instant.now().getEpochSecond();
        for (String[] delivery : deliveryRows(OPENS, journeys)) {
            for (String type : List.of("processed", "delivered", "open", "open", "click")) {
                events.add(event(delivery, type, events.size(), now));
            }
        }
        Collections.shuffle(events, new Random(7));
        List<byte[]> batches = new ArrayList<>();
        for (int from = 0; from < events.size(); from += 100) {
            batches.add((JSON.writeValueAsString(events.subList(from, Math.min(from + 100, events.size()))) + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        long posting = System.nanoTime();
        List<Future<JsonNode>> answers = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            byte[] batch = batches.get(i);
            answers.add(clients.submit(() -> postSigned(a, batch)));
            answers.add(clients.submit(() -> postSigned(b, batch)));
            if (i % 3 == 0) {
                ServiceProcess again = i % 2 == 0 ? a : b;
                answers.add(clients.submit(() -> postSigned(again, batch)));
            }
        }
        long received = 0;
        long stored = 0;
        for (Future<JsonNode> answer : answers) {
            JsonNode body = answer.get(2, TimeUnit.MINUTES);
            received += body.path("received").asLong();
            stored += body.path("stored").asLong();
        }
        long posted = System.nanoTime();
        awaitTrue(
                "every stored event is applied and the journeys ended at their open",
                Duration.ofMinutes(5),
                () -> count("select count(*) from provider_event where applied_at is null") == 0
                        && count(
                                        "select count(*) from act_hi_procinst where business_key_ like ? and end_act_id_ = ?",
                                        OPENS + ":%",
                                        "EndEvent_Opened")
                                == journeys);
        report(
                "webhooks: %d distinct events in %d batches of 100, %d signed requests to both nodes at once (%d events "
                        + "received, %d stored), posted in %.1f s; all applied and the %d journeys woken %.1f s later",
                events.size(),
                batches.size(),
                answers.size(),
                received,
                stored,
                (posted - posting) / 1e9,
                journeys,
                seconds(posted));

        assertThat(stored)
                .as("each event stored once, whichever node got it first")
                .isEqualTo(events.size());
        assertThat(received).isGreaterThan(stored);
        assertThat(count("select count(*) from provider_event")).isEqualTo(events.size());
        assertThat(countsBy("select outcome, count(*) from provider_event group by outcome"))
                .containsExactly(Map.entry("APPLIED", (long) events.size()));
        assertThat(count(
                        "select count(*) from delivery where campaign = ? and status = 'DELIVERED' and opens = 2 "
                                + "and clicks = 1",
                        OPENS))
                .as("every delivery: two opens and a click, each counted once")
                .isEqualTo(journeys);
        assertThat(count("select count(*) from delivery where campaign = ?", OPENS))
                .isEqualTo(journeys);
        // each journey woken once, by its first open, and ended there
        assertThat(count(
                        "select count(*) from act_hi_actinst where act_id_ = 'Event_EmailOpened' and proc_inst_id_ in ("
                                + journeysSql + ")",
                        OPENS))
                .isEqualTo(journeys);
        assertThat(count(
                        "select count(distinct proc_inst_id_) from act_hi_actinst where act_id_ = 'Event_EmailOpened' "
                                + "and end_time_ is not null and proc_inst_id_ in (" + journeysSql + ")",
                        OPENS))
                .isEqualTo(journeys);
        assertThat(count(
                        "select count(*) from delivery_event where message_name = ? and correlation = 'DONE' "
                                + "and process_instance_id in (" + journeysSql + ")",
                        EngagementMessages.EMAIL_OPENED,
                        OPENS))
                .isEqualTo(journeys);
    }

    private List<String[]> deliveryRows(String campaign, int limit) {
        List<String[]> rows = new ArrayList<>();
        query(
                "select delivery_id, process_instance_id, address from delivery where campaign = ? order by delivery_seq "
                        + "limit " + limit,
                rs -> rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}),
                campaign);
        assertThat(rows).hasSize(limit);
        return rows;
    }

    private static Map<String, Object> event(String[] delivery, String type, int n, long now) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("email", delivery[2]);
        event.put("timestamp", now - 600 + n % 300);
        event.put("event", type);
        event.put("sg_event_id", "cluster-" + n);
        event.put("sg_message_id", "cluster" + n + ".filter0001");
        event.put("loyalflow_delivery_id", delivery[0]);
        event.put("loyalflow_process_instance_id", delivery[1]);
        if ("click".equals(type)) {
            event.put("url", "https://shop.example/offer");
        }
        return event;
    }

    private JsonNode postSigned(ServiceProcess node, byte[] batch) throws Exception {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + node.port + "/webhooks/sendgrid"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
                .header("X-Twilio-Email-Event-Webhook-Signature", sign(timestamp, batch))
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** What Camunda Modeler sends when an administrator deploys a model. */
    private void deploy(ServiceProcess node, String resource) throws Exception {
        byte[] model;
        try (InputStream in = ClusterTest.class.getResourceAsStream(resource)) {
            model = in.readAllBytes();
        }
        String boundary = "cluster-test-boundary";
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\n"
                        + OPEN_WAIT_TEMPLATE + "\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"" + file + "\"; filename=\"" + file
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + model.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(model, 0, body, head.length, model.length);
        System.arraycopy(tail, 0, body, head.length + model.length, tail.length);
        HttpRequest request = authorized(node, "/engine-rest/deployment/create")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    // ---- nodes and requests

    private ServiceProcess startNode(String hostname, String run) throws Exception {
        List<String> arguments = List.of(
                "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--loyalflow.data-dir=" + work.resolve(run + "-data"),
                "--loyalflow.admin.user=" + ADMIN,
                "--loyalflow.admin.password=" + ADMIN_PASSWORD,
                // the node's name in the job log (hostname_) and at the start of its job locks (lock_owner_)
                "--camunda.bpm.generic-properties.properties.hostname=" + hostname,
                // history FULL, not the service's default journey level: the job log of every job that went well
                // (which journey level leaves out) is how the test tells which node ran each job, and only once
                "--camunda.bpm.history-level=full",
                "--camunda.bpm.job-execution.enabled=true",
                "--camunda.bpm.job-execution.lock-time-in-millis=" + LOCK_TIME_MILLIS,
                "--camunda.bpm.job-execution.wait-time-in-millis=500",
                "--camunda.bpm.job-execution.max-wait=2000",
                // shorter than the lock time, as in production (2 min against 5): a send left in progress by a
                // dead node is recorded UNKNOWN by the node that takes its job over, not retried 10 minutes later
                "--loyalflow.messaging.stale-send-after=5s",
                "--loyalflow.messaging.email-provider=log",
                "--loyalflow.messaging.sms-provider=log",
                "--loyalflow.messaging.sendgrid.webhook-public-key="
                        + Base64.getEncoder()
                                .encodeToString(WEBHOOK_KEYS.getPublic().getEncoded()),
                // the scheduled campaign entry and segment refresh stay out of the way (once a year)
                "--loyalflow.campaigns.entry-cycle=0 0 3 1 1 ?",
                "--loyalflow.segments.refresh-cycle=0 0 3 1 1 ?");
        return ServiceProcess.start(
                work.resolve(run + ".log"), List.of(), List.of("-Xmx384m"), arguments, START_TIMEOUT);
    }

    private HttpResponse<String> send(ServiceProcess node, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest request = authorized(node, path)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder authorized(ServiceProcess node, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + node.port + path))
                .timeout(Duration.ofSeconds(60))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    private static String customerId(int i) {
        return "cl-%06d".formatted(i);
    }

    /** A time zone in which it is about noon now: e-mails go out only 08:00–21:00 in the customer's zone. */
    private static ZoneId daytimeZone() {
        int offset = 12 - ZonedDateTime.now(Clock.systemUTC()).getHour();
        if (offset > 14) {
            offset -= 24;
        }
        if (offset < -12) {
            offset += 24;
        }
        // POSIX-style Etc zones count the other way round: Etc/GMT-3 is three hours ahead of UTC.
        return ZoneId.of(offset == 0 ? "Etc/UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset));
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "cluster-test-start");
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---- database

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowHandler handler, Object... parameters) {
        try (Connection connection =
                        DriverManager.getConnection(database.url(), database.username(), database.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof List<?> list) {
                    Array array = connection.createArrayOf("varchar", list.toArray());
                    statement.setArray(i + 1, array);
                } else {
                    statement.setObject(i + 1, parameters[i]);
                }
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private long count(String sql, Object... parameters) {
        long[] value = new long[1];
        query(sql, rs -> value[0] = rs.getLong(1), parameters);
        return value[0];
    }

    private List<String> strings(String sql, Object... parameters) {
        List<String> values = new ArrayList<>();
        query(sql, rs -> values.add(rs.getString(1)), parameters);
        return values;
    }

    private Map<String, Long> countsBy(String sql, Object... parameters) {
        Map<String, Long> counts = new LinkedHashMap<>();
        query(sql, rs -> counts.put(rs.getString(1), rs.getLong(2)), parameters);
        return counts;
    }

    /** Waits until the condition holds; answers how long that took. */
    private static Duration awaitTrue(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long started = System.nanoTime();
        org.awaitility.Awaitility.await(what)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(condition::getAsBoolean);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void report(String format, Object... args) {
        System.out.println("CLUSTER " + String.format(format, args));
    }

    private static String sign(String timestamp, byte[] body) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(WEBHOOK_KEYS.getPrivate());
        signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
        signer.update(body);
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    private static KeyPair webhookKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
