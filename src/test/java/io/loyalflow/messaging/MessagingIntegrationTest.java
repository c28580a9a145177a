package io.loyalflow.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.loyalflow.messaging.webhook.ProviderEventApplier;
import io.loyalflow.testsupport.DatabaseTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service with the real SendGrid and Twilio SDKs pointed at one WireMock server, webhooks
 * signed with keys the test holds, and the test models of src/test/resources/messaging deployed.
 * Webhook events are applied when a test says so ({@link #applyWebhookEvents()}), jobs run when a
 * test executes them, deferred sends resume when a test sweeps ({@code deferredSends.resumeDue()}), and
 * time is the test's.
 */
@Import(MessagingIntegrationTest.Fixtures.class)
public abstract class MessagingIntegrationTest extends DatabaseTest {

    protected static final String PUBLIC_BASE = "https://loyalflow.example.com";
    protected static final String TWILIO_SID = "AC" + "0".repeat(32);
    protected static final String TWILIO_TOKEN = "twilio-auth-token-for-tests";
    protected static final String MESSAGING_SERVICE = "MG" + "1".repeat(32);
    protected static final String TEMPLATE = "d-0123456789abcdef0123456789abcdef";
    protected static final String SENDGRID_SEND = "/v3/mail/send";
    protected static final String TWILIO_SEND = "/2010-04-01/Accounts/" + TWILIO_SID + "/Messages.json";
    protected static final String META_AD_ACCOUNT = "1234567890";
    protected static final String META_TOKEN = "EAAB-meta-token-for-tests-0123456789";
    protected static final WireMockServer PROVIDERS =
            new WireMockServer(options().dynamicPort());
    protected static final KeyPair WEBHOOK_KEYS = webhookKeys();

    static {
        PROVIDERS.start();
    }

    @Autowired
    protected RuntimeService runtimeService;

    @Autowired
    protected ManagementService managementService;

    @Autowired
    protected RepositoryService repositoryService;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected ProviderEventApplier applier;

    @Autowired
    protected CrashSwitch crashSwitch;
    /** Tests sweep for due deferred sends themselves, as the scheduler would (its interval is huge in tests). */
    @Autowired
    protected DeferredSends deferredSends;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        String base = "http://localhost:" + PROVIDERS.port();
        registry.add("loyalflow.messaging.email-provider", () -> "sendgrid");
        registry.add("loyalflow.messaging.sms-provider", () -> "twilio");
        registry.add("loyalflow.messaging.public-base-url", () -> PUBLIC_BASE);
        registry.add("loyalflow.messaging.unsubscribe-secret", () -> "unsubscribe-secret-for-tests-0123456789");
        registry.add("loyalflow.messaging.sendgrid.api-key", () -> "SG.test-key");
        registry.add("loyalflow.messaging.sendgrid.api-base-url", () -> base);
        registry.add("loyalflow.messaging.sendgrid.from-email", () -> "offers@shop.example");
        registry.add("loyalflow.messaging.sendgrid.from-name", () -> "The Shop");
        registry.add("loyalflow.messaging.sendgrid.unsubscribe-group-id", () -> "42");
        registry.add("loyalflow.messaging.sendgrid.read-timeout", () -> "5s");
        registry.add(
                "loyalflow.messaging.sendgrid.webhook-public-key",
                () -> Base64.getEncoder()
                        .encodeToString(WEBHOOK_KEYS.getPublic().getEncoded()));
        registry.add("loyalflow.messaging.twilio.account-sid", () -> TWILIO_SID);
        registry.add("loyalflow.messaging.twilio.auth-token", () -> TWILIO_TOKEN);
        registry.add("loyalflow.messaging.twilio.messaging-service-sid", () -> MESSAGING_SERVICE);
        registry.add("loyalflow.messaging.twilio.api-base-url", () -> base);
        registry.add("loyalflow.messaging.twilio.read-timeout", () -> "5s");
        registry.add("loyalflow.audiences.provider", () -> "meta");
        registry.add("loyalflow.audiences.meta.ad-account", () -> META_AD_ACCOUNT);
        registry.add("loyalflow.audiences.meta.access-token", () -> META_TOKEN);
        registry.add("loyalflow.audiences.meta.base-url", () -> base);
        registry.add("loyalflow.audiences.meta.read-timeout", () -> "5s");
        registry.add("loyalflow.messaging.webhooks.apply-after-request", () -> "false");
        registry.add("loyalflow.messaging.webhooks.sweep-interval", () -> "1h");
    }

    @BeforeEach
    void resetProviders() {
        PROVIDERS.resetAll();
        crashSwitch.off();
        repositoryService
                .createDeployment()
                .name("messaging-test-models")
                .enableDuplicateFiltering(true)
                .addClasspathResource("messaging/messaging-journey-test.bpmn")
                .addClasspathResource("messaging/send-then-fail-test.bpmn")
                .deploy();
    }

    // ---- customers and journeys

    protected String newCustomer(
            String email, String phone, String timeZone, boolean emailConsent, boolean smsConsent) {
        String id = "c-" + UUID.randomUUID();
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("email", email);
        profile.put("phone", phone);
        profile.put("firstName", "Ann");
        profile.put("lastName", "Lee");
        if (timeZone != null) {
            profile.put("timeZone", timeZone);
        }
        Map<String, Object> consents = new LinkedHashMap<>();
        consents.put("email", consent(emailConsent));
        consents.put("sms", consent(smsConsent));
        profile.put("consents", consents);
        as(SERVICE).body(profile).put("/api/customers/{id}", id).then().statusCode(201);
        return id;
    }

    private static Map<String, Object> consent(boolean optedIn) {
        return Map.of(
                "status", optedIn ? "OPTED_IN" : "OPTED_OUT", "source", "checkout", "statedAt", "2025-01-01T00:00:00Z");
    }

    protected ProcessInstance startJourney(String processKey, String customerId, Map<String, Object> variables) {
        Map<String, Object> all = new LinkedHashMap<>(
                Map.of(CUSTOMER_ID.name(), customerId, "discountCode", "SAVE10", "emailWhenCapped", "SKIP"));
        all.putAll(variables);
        return runtimeService.startProcessInstanceByKey(processKey, "summer-offer:" + customerId, all);
    }

    /** Runs the journey's due jobs one after another until none is due; returns how many ran. */
    protected int runDueJobs(String processInstanceId) {
        int ran = 0;
        for (int round = 0; round < 20; round++) {
            List<Job> due = managementService
                    .createJobQuery()
                    .processInstanceId(processInstanceId)
                    .executable()
                    .list();
            if (due.isEmpty()) {
                return ran;
            }
            for (Job job : due) {
                managementService.executeJob(job.getId());
                ran++;
            }
        }
        throw new AssertionError("jobs keep coming for " + processInstanceId);
    }

    protected Job onlyJob(String processInstanceId) {
        List<Job> jobs = managementService
                .createJobQuery()
                .processInstanceId(processInstanceId)
                .list();
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    protected boolean ended(String processInstanceId) {
        return runtimeService
                        .createProcessInstanceQuery()
                        .processInstanceId(processInstanceId)
                        .count()
                == 0;
    }

    protected Map<String, Object> delivery(String deliveryId) {
        return jdbc.queryForMap("select * from delivery where delivery_id = ?", deliveryId);
    }

    protected List<Map<String, Object>> deliveriesOf(String processInstanceId) {
        return jdbc.queryForList(
                "select * from delivery where process_instance_id = ? order by delivery_seq", processInstanceId);
    }

    protected Object variable(String processInstanceId, String name) {
        return runtimeService.getVariable(processInstanceId, name);
    }

    // ---- providers

    protected void sendGridAccepts(String messageId) {
        PROVIDERS.stubFor(post(urlEqualTo(SENDGRID_SEND))
                .willReturn(aResponse().withStatus(202).withHeader("X-Message-Id", messageId)));
    }

    /** SendGrid's Verified Senders API lists the configured sender, verified or not. */
    protected void senderVerified(boolean verified) {
        PROVIDERS.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/v3/verified_senders"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"results\":[{\"id\":1,\"from_email\":\"offers@shop.example\",\"verified\":"
                                + verified + "}]}")));
    }

    protected void sendGridAnswers(int status, String body) {
        PROVIDERS.stubFor(post(urlEqualTo(SENDGRID_SEND))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    protected void twilioAccepts(String sid) {
        PROVIDERS.stubFor(
                post(urlEqualTo(TWILIO_SEND))
                        .willReturn(
                                aResponse()
                                        .withStatus(201)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"sid\":\"" + sid + "\",\"status\":\"accepted\",\"account_sid\":\""
                                                        + TWILIO_SID + "\","
                                                        + "\"messaging_service_sid\":\"" + MESSAGING_SERVICE
                                                        + "\",\"num_segments\":\"1\",\"direction\":\"outbound-api\","
                                                        + "\"date_created\":\"Sun, 22 Nov 2026 10:00:00 +0000\",\"api_version\":\"2010-04-01\"}")));
    }

    protected void twilioAnswers(int status, int code, String message) {
        PROVIDERS.stubFor(post(urlEqualTo(TWILIO_SEND))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":" + code + ",\"message\":\"" + message
                                + "\",\"more_info\":\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":"
                                + status + "}")));
    }

    protected int sendGridRequests() {
        return PROVIDERS
                .findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(SENDGRID_SEND)))
                .size();
    }

    protected int twilioRequests() {
        return PROVIDERS
                .findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(TWILIO_SEND)))
                .size();
    }

    // ---- webhooks

    protected Response postSendGridEvents(String json) {
        return postSendGridEvents(json, clock.instant());
    }

    protected Response postSendGridEvents(String json, Instant signedAt) {
        String timestamp = Long.toString(signedAt.getEpochSecond());
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return RestAssured.given()
                .port(port)
                .contentType("application/json")
                .body(body)
                .header("X-Twilio-Email-Event-Webhook-Signature", signSendGrid(timestamp, body))
                .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
                .post("/webhooks/sendgrid");
    }

    protected static String signSendGrid(String timestamp, byte[] body) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(WEBHOOK_KEYS.getPrivate());
            signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
            signer.update(body);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String sendGridEvent(
            String event, String deliveryId, String email, String eventId, String extraFields) {
        return "{\"email\":\"" + email + "\",\"timestamp\":1795000000,\"event\":\"" + event + "\",\"sg_event_id\":\""
                + eventId + "\",\"sg_message_id\":\"msg-" + deliveryId + ".filter0001\",\"loyalflow_delivery_id\":\""
                + deliveryId + "\"" + (extraFields == null ? "" : "," + extraFields) + "}";
    }

    /** Posts a form to a Twilio webhook path, signed as Twilio signs it (HMAC-SHA1, computed here independently). */
    protected Response postTwilio(String pathAndQuery, Map<String, String> form, boolean validSignature) {
        String url = PUBLIC_BASE + pathAndQuery;
        String signature = validSignature ? twilioSignature(url, form) : "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        var request = RestAssured.given()
                .port(port)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", signature);
        form.forEach(request::formParam);
        return request.post(pathAndQuery);
    }

    protected static String twilioSignature(String url, Map<String, String> form) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(form).forEach((name, value) -> data.append(name).append(value));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(TWILIO_TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected int applyWebhookEvents() {
        return applier.applyPending();
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

    /** A step after the send that fails while switched on: a crash after the provider took the message. */
    public static class CrashSwitch {
        private volatile boolean on;

        public void on() {
            on = true;
        }

        public void off() {
            on = false;
        }

        public boolean pass() {
            if (on) {
                throw new IllegalStateException("simulated crash after the send");
            }
            return true;
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Fixtures {
        @Bean
        CrashSwitch crashSwitch() {
            return new CrashSwitch();
        }
    }

    static com.github.tomakehurst.wiremock.matching.StringValuePattern is(String value) {
        return equalTo(value);
    }
}
