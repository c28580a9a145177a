package io.loyalflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.journey.WelcomeProcess;
import io.loyalflow.testsupport.PostgresRequirement;
import io.loyalflow.testsupport.ServiceProcess;
import io.loyalflow.testsupport.TcpProxy;
import io.loyalflow.testsupport.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away for 15 seconds under load and comes back, without a restart of the service or
 * of the database server: the service runs as a child JVM (job executor on) whose datasource points at
 * a {@link TcpProxy} in front of PostgreSQL, and the proxy drops every connection and refuses new
 * ones for the outage. Two clients keep working the whole time, as the API documentation says a client
 * should: new profiles with e-mail consent (each enters an active welcome campaign, whose first step
 * sends a thank-you e-mail on the job executor) and orders, each request repeated after a 5xx or a
 * broken connection until it is answered 2xx. Afterwards the service is healthy without a restart,
 * answers new calls, and nothing answered 2xx is missing: every profile has its one journey, whose
 * e-mail went out once, every order is stored, every durable event's listeners completed, and no
 * incident was left by the outage. A JVM of its own (tag "isolated"), on PostgreSQL whichever run.
 */
@Tag("isolated")
class DatabaseOutageTest {

    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-password-for-outage-test";
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    @TempDir
    Path work;

    @Test
    @Timeout(value = 35, unit = TimeUnit.MINUTES)
    void theServiceRidesOutADatabaseOutageAndLosesNothingItAnswered2xx() throws Exception {
        PostgresRequirement.assumeReachable();
        TestDatabase database = TestDatabase.createPostgres();
        URI server = URI.create(TestDatabase.postgresServerUrl().substring("jdbc:".length()));
        ServiceProcess service = null;
        try (TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort())) {
            String proxied =
                    database.url().replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port());
            service = start(database, proxied);
            ServiceProcess node = service;
            String campaign = welcomeCampaign(node);

            Load load = new Load(node);
            load.start();
            load.awaitAnswered(20, Duration.ofSeconds(60));

            int answeredBefore = load.answered.get();
            Instant cutAt = Instant.now();
            proxy.cut();
            Thread.sleep(OUTAGE.toMillis()); // the outage itself: its length is what is under test
            proxy.restore();
            Instant restoredAt = Instant.now();

            awaitTrue("the service reports UP again", Duration.ofSeconds(90), node::healthy);
            Duration toHealthy = Duration.between(restoredAt, Instant.now());
            load.awaitAnswered(load.answered.get() + 20, Duration.ofSeconds(90));
            load.stop();

            // a new call after the outage
            String after = "after-" + UUID.randomUUID();
            request(node)
                    .body(profile())
                    .put("/api/customers/{id}", after)
                    .then()
                    .statusCode(201);
            load.customers.add(after);

            awaitTrue(
                    "every durable event's listeners completed",
                    Duration.ofSeconds(180),
                    () -> count(database, "select count(*) from event_publication where completion_date is null") == 0);
            // a send job that failed in the outage is retried along its step's cycle: R5/PT10M for the welcome e-mails
            Instant settling = Instant.now();
            awaitTrue(
                    "every profile's journey sent its thank-you",
                    Duration.ofMinutes(16),
                    () -> count(
                                    database,
                                    "select count(*) from delivery where activity_id = ? and status in ('LOGGED', 'UNKNOWN')",
                                    WelcomeProcess.Element.TASK_SEND_THANK_YOU.id())
                            >= load.customers.size());
            Duration toSent = Duration.between(settling, Instant.now());

            System.out.printf(
                    "Database outage of %d s: %d requests answered 2xx before the cut, %d in all; %d answered 5xx and "
                            + "%d broke off (each repeated until 2xx); proxy dropped %d sockets and refused %d "
                            + "connections; healthy %d ms after the restore; every thank-you recorded %d s after the "
                            + "load stopped, %d of them UNKNOWN (interrupted mid-send); cut at %s%n",
                    OUTAGE.toSeconds(),
                    answeredBefore,
                    load.answered.get(),
                    load.serverErrors.get(),
                    load.broken.get(),
                    proxy.dropped(),
                    proxy.refused(),
                    toHealthy.toMillis(),
                    toSent.toSeconds(),
                    count(
                            database,
                            "select count(*) from delivery where activity_id = ? and status = 'UNKNOWN'",
                            WelcomeProcess.Element.TASK_SEND_THANK_YOU.id()),
                    cutAt);

            assertThat(load.serverErrors.get() + load.broken.get())
                    .as("the outage was felt by the clients")
                    .isPositive();
            for (String customer : load.customers) {
                assertThat(count(
                                database,
                                "select count(*) from campaign_enrollment e join customer c on c.customer_key = e.customer_key "
                                        + "where c.customer_id = ? and e.campaign_key = ?",
                                customer,
                                campaign))
                        .as("the journey of " + customer)
                        .isEqualTo(1);
            }
            assertThat(count(
                            database,
                            "select count(*) from campaign_enrollment e where e.campaign_key = ? and not exists "
                                    + "(select 1 from act_hi_procinst p where p.proc_inst_id_ = e.process_instance_id)",
                            campaign))
                    .as("enrollments without their process instance")
                    .isZero();
            assertThat(count(
                            database,
                            "select count(*) from delivery where activity_id = ?",
                            WelcomeProcess.Element.TASK_SEND_THANK_YOU.id()))
                    .as("one thank-you per journey, sent (LOGGED) or possibly sent when the database went (UNKNOWN)")
                    .isEqualTo(load.customers.size());
            for (String order : load.orders) {
                assertThat(count(database, "select count(*) from customer_order where order_id = ?", order))
                        .as("order " + order)
                        .isEqualTo(1);
            }
            assertThat(count(database, "select count(*) from act_ru_incident")).isZero();
        } finally {
            if (service != null) {
                service.stop();
            }
        }
    }

    /** Two clients: one registers new profiles, one places orders; each request is repeated until 2xx. */
    private final class Load {

        private final ServiceProcess node;
        final List<String> customers = Collections.synchronizedList(new ArrayList<>());
        final List<String> orders = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger serverErrors = new AtomicInteger();
        final AtomicInteger broken = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService clients = Executors.newFixedThreadPool(2);
        private final List<Future<?>> work = new ArrayList<>();

        Load(ServiceProcess node) {
            this.node = node;
        }

        void start() {
            work.add(clients.submit(() -> {
                while (running.get()) {
                    String customer = "outage-" + UUID.randomUUID();
                    untilAnswered(() -> request(node)
                            .body(profile())
                            .put("/api/customers/{id}", customer)
                            .statusCode());
                    customers.add(customer);
                }
                return null;
            }));
            work.add(clients.submit(() -> {
                while (running.get()) {
                    String order = "o-outage-" + UUID.randomUUID();
                    untilAnswered(() -> request(node)
                            .body(order(order, "buyer-" + UUID.randomUUID()))
                            .post("/api/orders")
                            .statusCode());
                    orders.add(order);
                }
                return null;
            }));
        }

        /** Repeats the request after a 5xx or a broken connection, as a client should; fails on a 4xx. */
        private void untilAnswered(Supplier<Integer> call) throws InterruptedException {
            while (true) {
                int status;
                try {
                    status = call.get();
                } catch (RuntimeException brokenOff) {
                    broken.incrementAndGet();
                    Thread.sleep(500); // a client's back-off before repeating
                    continue;
                }
                if (status >= 200 && status < 300) {
                    answered.incrementAndGet();
                    return;
                }
                if (status < 500) {
                    throw new AssertionError("answered " + status);
                }
                serverErrors.incrementAndGet();
                Thread.sleep(500);
            }
        }

        void awaitAnswered(int count, Duration timeout) throws InterruptedException {
            awaitTrue(count + " requests answered 2xx", timeout, () -> answered.get() >= count);
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> client : work) {
                client.get(3, TimeUnit.MINUTES);
            }
            clients.shutdown();
        }
    }

    private String welcomeCampaign(ServiceProcess node) {
        String id = "welcome-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                WelcomeProcess.Element.TASK_SEND_THANK_YOU.id(),
                Map.of("templateId", "d-7a000000000000000000000000000001"));
        messages.put(
                WelcomeProcess.Element.TASK_SEND_ADVICE.id(),
                Map.of("templateId", "d-7a000000000000000000000000000002"));
        messages.put(
                WelcomeProcess.Element.TASK_SEND_INCENTIVE.id(),
                Map.of("templateId", "d-7a000000000000000000000000000003", "templateData", Map.of("code", "AGAIN10")));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "NEW_PROFILE"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("exitGoal", "ORDER");
        request(node)
                .body(Map.of("id", id, "name", "Welcome", "template", WelcomeProcess.KEY, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        request(node).post("/api/campaigns/{id}/activate", id).then().statusCode(200);
        return id;
    }

    /** A new profile with e-mail consent, in a zone where it is early afternoon now (inside the e-mail window). */
    private static Map<String, Object> profile() {
        int hourUtc = Instant.now().atOffset(ZoneOffset.UTC).getHour();
        int offset = Math.floorMod(13 - hourUtc + 12, 24) - 12;
        String zone = offset == 0 ? "Etc/UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
        return Map.of(
                "email",
                "outage-" + UUID.randomUUID() + "@example.com",
                "firstName",
                "Ann",
                "timeZone",
                zone,
                "consents",
                Map.of(
                        "email",
                        Map.of("status", "OPTED_IN", "source", "checkout", "statedAt", "2025-01-01T00:00:00Z")));
    }

    private static Map<String, Object> order(String orderId, String customerId) {
        return Map.of(
                "orderId",
                orderId,
                "customerId",
                customerId,
                "placedAt",
                Instant.now().minusSeconds(60).toString(),
                "amount",
                new BigDecimal("42.00"),
                "currency",
                "USD",
                "items",
                List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal("42.00"))));
    }

    private ServiceProcess start(TestDatabase database, String proxiedUrl) throws Exception {
        return ServiceProcess.start(
                work.resolve("service.log"),
                List.of(),
                List.of("-Xmx768m"),
                List.of(
                        "--spring.datasource.url=" + proxiedUrl,
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + database.password(),
                        "--loyalflow.data-dir=" + work.resolve("data"),
                        "--loyalflow.admin.user=" + ADMIN,
                        "--loyalflow.admin.password=" + ADMIN_PASSWORD,
                        "--camunda.bpm.job-execution.enabled=true",
                        // listeners that failed in the outage are resubmitted within seconds, not minutes
                        "--loyalflow.events.resubmission-interval=5s",
                        "--loyalflow.events.resubmit-after=10s"),
                Duration.ofSeconds(420));
    }

    private static RequestSpecification request(ServiceProcess node) {
        RestAssuredConfig timeouts = RestAssuredConfig.config()
                .httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.connection.timeout", 10_000)
                        .setParam("http.socket.timeout", 90_000));
        return RestAssured.given()
                .config(timeouts)
                .port(node.port)
                .contentType(ContentType.JSON)
                .auth()
                .preemptive()
                .basic(ADMIN, ADMIN_PASSWORD);
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        org.awaitility.Awaitility.await(what)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .until(condition::getAsBoolean);
    }

    private static long count(TestDatabase database, String sql, Object... parameters) {
        try (Connection connection =
                        DriverManager.getConnection(database.url(), database.username(), database.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
