package io.loyalflow.journey;

import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.loyalflow.order.OrdersRecorded;
import io.loyalflow.testsupport.PostgresRequirement;
import io.loyalflow.testsupport.ServiceProcess;
import io.loyalflow.testsupport.TestDatabase;
import io.loyalflow.testsupport.crash.HaltAfterOrderCommit;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node dies right after an order's transaction commits, before any listener of the order's
 * event has run: the service runs as a child JVM on its own PostgreSQL database, a customer waits
 * in a win-back journey (exit goal: an order), and the order's commit halts that JVM
 * ({@link HaltAfterOrderCommit}). A second node started on the same database resubmits the stored
 * publications at start: the journey is converted exactly once, and the customer re-tiered. A JVM
 * of its own per class (tag "isolated"), on PostgreSQL whichever run.
 */
@Tag("isolated")
class NodeCrashAfterCommitTest {

    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-password-for-crash-test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path work;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theOrderOfANodeKilledRightAfterItsCommitConvertsTheJourneyOnceWhenAnotherNodeStarts() throws Exception {
        PostgresRequirement.assumeReachable();
        TestDatabase database = TestDatabase.createPostgres();
        Path classes = hookClasses();
        ServiceProcess first = null;
        ServiceProcess second = null;
        try {
            first = startNode("first", database, classes, work, "--loyalflow.test.halt-after-order=o-halt-");
            String customer = "crash-" + UUID.randomUUID();
            request(first)
                    .body(Map.of(
                            "email",
                            customer + "@example.com",
                            "firstName",
                            "Ann",
                            "consents",
                            Map.of(
                                    "email",
                                    Map.of(
                                            "status",
                                            "OPTED_IN",
                                            "source",
                                            "checkout",
                                            "statedAt",
                                            "2025-01-01T00:00:00Z"))))
                    .put("/api/customers/{id}", customer)
                    .then()
                    .statusCode(201);
            request(first)
                    .body(order(
                            "o-history-" + UUID.randomUUID(),
                            customer,
                            Instant.now().minus(Duration.ofDays(60))))
                    .post("/api/orders")
                    .then()
                    .statusCode(201);
            request(first).post("/api/segments/refresh").then().statusCode(200);
            String campaign = "crash-" + UUID.randomUUID().toString().substring(0, 8);
            request(first)
                    .body(Map.of(
                            "id",
                            campaign,
                            "name",
                            "Win them back",
                            "template",
                            WinBackProcess.KEY,
                            "settings",
                            winBackSettings(customer)))
                    .post("/api/campaigns")
                    .then()
                    .statusCode(201);
            request(first).post("/api/campaigns/{id}/activate", campaign).then().statusCode(200);
            String journey = request(first)
                    .body(Map.of("customerId", customer))
                    .post("/api/campaigns/{id}/enrollments", campaign)
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("processInstanceId");
            // the job executor runs the journey to its wait for an order (offer logged by the log provider)
            awaitTrue(
                    "the journey waits for an order",
                    Duration.ofSeconds(60),
                    () -> count(
                                    database,
                                    "select count(*) from act_ru_event_subscr where proc_inst_id_ = ? "
                                            + "and event_name_ = 'Msg_OrderPlaced'",
                                    journey)
                            == 1);
            awaitTrue(
                    "the first node's publications are done",
                    Duration.ofSeconds(60),
                    () -> count(database, "select count(*) from event_publication where completion_date is null") == 0);

            String orderId = "o-halt-" + UUID.randomUUID();
            try {
                request(first)
                        .body(order(orderId, customer, Instant.now().minusSeconds(30)))
                        .post("/api/orders");
                fail("the first node answered although it should have halted after the commit");
            } catch (Exception expected) {
                // the connection died with the node
            }
            assertThat(first.process.waitFor(30, TimeUnit.SECONDS))
                    .as("the first node stopped")
                    .isTrue();
            assertThat(first.process.exitValue())
                    .as("halted by the hook, " + first.log)
                    .isEqualTo(HaltAfterOrderCommit.EXIT_CODE);

            // committed: the order and its publications, one per listener; nothing else happened
            assertThat(count(database, "select count(*) from customer_order where order_id = ?", orderId))
                    .isEqualTo(1);
            assertThat(strings(
                            database,
                            "select listener_id from event_publication where completion_date is null "
                                    + "and event_type = ? order by listener_id",
                            OrdersRecorded.class.getName()))
                    .containsExactly(
                            "cart.order-closes-cart",
                            CrossSellEntry.LISTENER_ID,
                            WelcomeEntry.FIRST_ORDER_LISTENER_ID,
                            OrderGoal.LISTENER_ID,
                            "segment.tier-retiering");
            assertThat(count(
                            database,
                            "select count(*) from act_ru_event_subscr where proc_inst_id_ = ? "
                                    + "and event_name_ = 'Msg_OrderPlaced'",
                            journey))
                    .isEqualTo(1);

            second = startNode("second", database, classes, work);
            awaitTrue(
                    "the second node completed the left publications",
                    Duration.ofSeconds(60),
                    () -> count(database, "select count(*) from event_publication where completion_date is null") == 0);

            assertThat(strings(
                            database,
                            "select exit_outcome from campaign_enrollment where process_instance_id = ?",
                            journey))
                    .containsExactly("CONVERTED");
            assertThat(count(
                            database,
                            "select count(*) from act_hi_actinst where proc_inst_id_ = ? "
                                    + "and act_id_ = 'EndEvent_Converted'",
                            journey))
                    .isEqualTo(1);
            assertThat(count(database, "select count(*) from act_ru_execution where proc_inst_id_ = ?", journey))
                    .isZero();
            assertThat(count(
                            database,
                            "select count(*) from journey_receipt where process_instance_id = ? and fact = ?",
                            journey,
                            "order:" + orderId))
                    .isEqualTo(1);
            assertThat(count(
                            database,
                            "select count(*) from segment_event where kind = 'TIER_CHANGED' and cause = ?",
                            "order:" + orderId))
                    .isEqualTo(1);
        } finally {
            for (ServiceProcess node : Arrays.asList(first, second)) {
                if (node != null) {
                    node.stop();
                }
            }
        }
    }

    private static Map<String, Object> order(String orderId, String customerId, Instant placedAt) {
        return Map.of(
                "orderId",
                orderId,
                "customerId",
                customerId,
                "placedAt",
                placedAt.toString(),
                "amount",
                new BigDecimal("120.00"),
                "currency",
                "USD",
                "items",
                List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal("120.00"))));
    }

    private static Map<String, Object> winBackSettings(String customer) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "win-back",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", List.of(customer))));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put(
                "messages",
                Map.of(
                        TASK_SEND_OFFER_EMAIL.id(), Map.of("templateId", "d-0123456789abcdef0123456789abcdef"),
                        TASK_SEND_OFFER_SMS.id(), Map.of("smsText", "15% off your next order: BACK15")));
        settings.put("waits", Map.of("orderWait", "P14D", "reminderWait", "P7D"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        settings.put("options", Map.of("secondReminder", false));
        return settings;
    }

    /**
     * The child's classpath: the test run's, without the test classes (their nested test
     * configurations would be component-scanned) but with the halting hook.
     */
    private Path hookClasses() throws IOException {
        Path hook = work.resolve("hook-classes");
        String name = HaltAfterOrderCommit.class.getName().replace('.', '/');
        Path source = Path.of(HaltAfterOrderCommit.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .getPath());
        Path target = hook.resolve(name).getParent();
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source.resolve(name).getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("HaltAfterOrderCommit"))
                    .toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return hook;
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(200);
        }
    }

    private static long count(TestDatabase database, String sql, Object... parameters) {
        List<String> values = strings(database, sql, parameters);
        return Long.parseLong(values.get(0));
    }

    private static List<String> strings(TestDatabase database, String sql, Object... parameters) {
        try (Connection connection =
                        DriverManager.getConnection(database.url(), database.username(), database.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The service in a JVM of its own, on the test's database. */
    private static ServiceProcess startNode(
            String name, TestDatabase database, Path hookClasses, Path work, String... extra) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--loyalflow.data-dir=" + work.resolve(name + "-data"),
                "--loyalflow.admin.user=" + ADMIN,
                "--loyalflow.admin.password=" + ADMIN_PASSWORD,
                "--camunda.bpm.job-execution.enabled=true",
                // only the resubmission at start is under test here
                "--loyalflow.events.resubmission-interval=10d"));
        arguments.addAll(List.of(extra));
        return ServiceProcess.start(
                work.resolve(name + ".log"),
                List.of(hookClasses.toString()),
                List.of("-Xmx768m"),
                arguments,
                START_TIMEOUT);
    }

    private static RequestSpecification request(ServiceProcess node) {
        RestAssuredConfig timeouts = RestAssuredConfig.config()
                .httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.connection.timeout", 10_000)
                        .setParam("http.socket.timeout", 60_000));
        return RestAssured.given()
                .config(timeouts)
                .port(node.port)
                .contentType(ContentType.JSON)
                .auth()
                .preemptive()
                .basic(ADMIN, ADMIN_PASSWORD);
    }
}
