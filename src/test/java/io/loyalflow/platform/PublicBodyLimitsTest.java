package io.loyalflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.testsupport.ServiceProcess;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nobody can exhaust the heap through the endpoints anyone may call. The service runs in a JVM of its
 * own with a 512 MB heap (and exits on OutOfMemoryError, as a container would restart it); bodies of
 * 300 MB, with a declared length and chunked without one, go concurrently to the SendGrid webhook (some
 * carrying fresh signature headers, so the body is read), the Twilio webhook, an unsubscribe link and
 * Camunda's login form. Each is refused with a 413 problem before the body is held, and afterwards the
 * service is healthy and takes a signed SendGrid batch as usual. Tag "isolated": a JVM per class.
 */
@Tag("isolated")
class PublicBodyLimitsTest {

    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-password-for-body-limits";
    private static final long HOSTILE_SIZE = 300L * 1024 * 1024;
    private static final String TOO_LARGE = "urn:loyalflow:problem:payload-too-large";
    private static final KeyPair WEBHOOK_KEYS = webhookKeys();

    @TempDir
    static Path work;

    private static ServiceProcess service;
    private static int port;

    @BeforeAll
    static void startService() throws Exception {
        service = ServiceProcess.start(
                work.resolve("service.log"),
                List.of(),
                List.of(
                        "-Xmx512m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp"))),
                List.of(
                        "--loyalflow.data-dir=" + work.resolve("data"),
                        "--loyalflow.admin.user=" + ADMIN,
                        "--loyalflow.admin.password=" + ADMIN_PASSWORD,
                        "--camunda.bpm.job-execution.enabled=false",
                        "--loyalflow.messaging.sendgrid.webhook-public-key="
                                + Base64.getEncoder()
                                        .encodeToString(WEBHOOK_KEYS.getPublic().getEncoded()),
                        "--loyalflow.messaging.twilio.auth-token=twilio-token-for-body-limits",
                        // short enough for a test to wait for: a whole body within 20 s, no pause of 8 s
                        "--loyalflow.web.request-body-timeout=20s",
                        "--server.tomcat.connection-timeout=8s"),
                Duration.ofSeconds(180));
        port = service.port;
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.stop();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void concurrentOversizedBodiesAreRefusedBeforeTheyAreHeldAndTheServiceStaysHealthy() throws Exception {
        Map<String, Hostile> hostile = new LinkedHashMap<>();
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        Map<String, String> signedLooking = Map.of(
                "Content-Type",
                "application/json",
                "X-Twilio-Email-Event-Webhook-Timestamp",
                timestamp,
                // well-formed base64, wrong signature: the body must be read to find out
                "X-Twilio-Email-Event-Webhook-Signature",
                Base64.getEncoder().encodeToString(new byte[72]));
        Map<String, String> json = Map.of("Content-Type", "application/json");
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        for (int i = 0; i < 3; i++) {
            hostile.put("sendgrid, declared length, unsigned #" + i, new Hostile("/webhooks/sendgrid", json, false));
            hostile.put(
                    "sendgrid, declared length, signature headers #" + i,
                    new Hostile("/webhooks/sendgrid", signedLooking, false));
            hostile.put(
                    "sendgrid, chunked, signature headers #" + i,
                    new Hostile("/webhooks/sendgrid", signedLooking, true));
        }
        hostile.put("twilio status, declared length", new Hostile("/webhooks/twilio/status", form, false));
        hostile.put("twilio inbound, declared length", new Hostile("/webhooks/twilio/inbound", form, false));
        hostile.put("unsubscribe link, declared length", new Hostile("/unsubscribe/AAAA", form, false));
        hostile.put(
                "camunda login form, declared length",
                new Hostile("/camunda/api/admin/auth/user/default/login/cockpit", form, false));

        ExecutorService threads = Executors.newFixedThreadPool(hostile.size() * 2);
        try {
            Map<String, Future<String>> answers = new LinkedHashMap<>();
            hostile.forEach((name, request) -> answers.put(name, threads.submit(() -> request.send(threads))));
            for (Map.Entry<String, Future<String>> answer : answers.entrySet()) {
                String response = answer.getValue().get(2, TimeUnit.MINUTES);
                assertThat(response)
                        .as(answer.getKey())
                        .startsWith("HTTP/1.1 413")
                        .contains(TOO_LARGE);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(service.process.isAlive())
                .as("the service is still running:\n" + service.tail())
                .isTrue();
        assertThat(RestAssured.given()
                        .port(port)
                        .get("/actuator/health")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("\"status\":\"UP\"");
        String batch = "[{\"email\":\"ann@example.com\",\"timestamp\":1795000000,\"event\":\"delivered\","
                + "\"sg_event_id\":\"limits-1\",\"sg_message_id\":\"limits.filter0001\"}]\r\n";
        byte[] body = batch.getBytes(StandardCharsets.UTF_8);
        String now = Long.toString(Instant.now().getEpochSecond());
        RestAssured.given()
                .port(port)
                .contentType("application/json")
                .body(body)
                .header("X-Twilio-Email-Event-Webhook-Timestamp", now)
                .header("X-Twilio-Email-Event-Webhook-Signature", sign(now, body))
                .post("/webhooks/sendgrid")
                .then()
                .statusCode(200)
                .body("received", equalTo(1))
                .body("stored", equalTo(1));
    }

    /**
     * Bodies within the limit, with signature headers that look right, must be read to the end before
     * the signature can fail: many at once are kept on disk, not in the heap (40 of 3 MB would fill most
     * of it), and the files are gone afterwards.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void manyBodiesWithinTheLimitAreVerifiedWithoutHoldingThemInTheHeap() throws Exception {
        Map<String, String> signedLooking = Map.of(
                "Content-Type",
                "application/json",
                "X-Twilio-Email-Event-Webhook-Timestamp",
                Long.toString(Instant.now().getEpochSecond()),
                "X-Twilio-Email-Event-Webhook-Signature",
                Base64.getEncoder().encodeToString(new byte[72]));
        int concurrent = 40;
        ExecutorService threads = Executors.newFixedThreadPool(concurrent * 2);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) {
                Hostile request = new Hostile("/webhooks/sendgrid", signedLooking, i % 2 == 0, 3_000_000);
                answers.add(threads.submit(() -> request.send(threads)));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get(3, TimeUnit.MINUTES))
                        .startsWith("HTTP/1.1 403")
                        .contains("urn:loyalflow:problem:signature-refused");
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(service.process.isAlive())
                .as("the service is still running:\n" + service.tail())
                .isTrue();
        assertThat(RestAssured.given()
                        .port(port)
                        .get("/actuator/health")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("\"status\":\"UP\"");
        try (Stream<Path> spooled = Files.list(work.resolve("tmp"))) {
            assertThat(spooled.filter(file -> file.getFileName().toString().startsWith("loyalflow-webhook-")))
                    .as("spooled bodies are deleted")
                    .isEmpty();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aBodyThatTricklesOrStallsIsRefusedAsTooSlow() throws Exception {
        Map<String, String> signedLooking = Map.of(
                "Content-Type",
                "application/json",
                "X-Twilio-Email-Event-Webhook-Timestamp",
                Long.toString(Instant.now().getEpochSecond()),
                "X-Twilio-Email-Event-Webhook-Signature",
                Base64.getEncoder().encodeToString(new byte[72]));

        String trickled = slowly(signedLooking, Duration.ofSeconds(1));
        String stalled = slowly(signedLooking, Duration.ofSeconds(60));

        assertThat(trickled).startsWith("HTTP/1.1 408").contains("urn:loyalflow:problem:request-timeout");
        assertThat(stalled).startsWith("HTTP/1.1 408").contains("urn:loyalflow:problem:request-timeout");
        assertThat(RestAssured.given()
                        .port(port)
                        .get("/actuator/health")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("\"status\":\"UP\"");
    }

    /** Declares a small body and sends it a byte per pause; the answer, as far as it arrived. */
    private static String slowly(Map<String, String> headers, Duration pause) throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head =
                    new StringBuilder("POST /webhooks/sendgrid HTTP/1.1\r\nHost: localhost:" + port + "\r\n");
            headers.forEach((name, value) ->
                    head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: 1000\r\n\r\n[");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            CompletableFuture<String> response = CompletableFuture.supplyAsync(() -> Hostile.readAll(in));
            try {
                for (int i = 0; i < 998 && !response.isDone(); i++) {
                    long next = System.nanoTime() + pause.toNanos();
                    while (System.nanoTime() < next && !response.isDone()) {
                        Thread.sleep(50);
                    }
                    out.write(' ');
                    out.flush();
                }
            } catch (IOException closedByTheService) {
                // answered and closed: read below
            }
            return response.get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * A 300 MB body sent as an attacker would: the headers, then the body as fast as the connection takes
     * it, while the answer is read as soon as it comes (the writer stops then, or when the service closes).
     *
     * @return the raw response (status line, headers, body) as far as it arrived
     */
    private record Hostile(String path, Map<String, String> headers, boolean chunked, long size) {

        Hostile(String path, Map<String, String> headers, boolean chunked) {
            this(path, headers, chunked, HOSTILE_SIZE);
        }

        String send(ExecutorService threads) throws Exception {
            try (Socket socket = new Socket("localhost", port)) {
                socket.setSoTimeout(90_000);
                OutputStream out = socket.getOutputStream();
                StringBuilder head =
                        new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n");
                headers.forEach((name, value) ->
                        head.append(name).append(": ").append(value).append("\r\n"));
                head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n");
                head.append("Connection: close\r\n");
                head.append("\r\n");
                out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                CompletableFuture<String> response = CompletableFuture.supplyAsync(() -> readAll(in), threads);
                byte[] piece = new byte[64 * 1024];
                Arrays.fill(piece, (byte) 'x');
                try {
                    for (long sent = 0; sent < size && !response.isDone(); sent += piece.length) {
                        int length = (int) Math.min(piece.length, size - sent);
                        if (chunked) {
                            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(piece, 0, length);
                        if (chunked) {
                            out.write('\r');
                            out.write('\n');
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException closedByTheService) {
                    // the service answered and closed the connection: what it answered is read below
                }
                return response.get(90, TimeUnit.SECONDS);
            }
        }

        private static String readAll(InputStream in) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                    received.write(buffer, 0, n);
                }
            } catch (IOException reset) {
                // a reset after the answer: keep what arrived
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
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
