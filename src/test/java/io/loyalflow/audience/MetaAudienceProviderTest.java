package io.loyalflow.audience;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.facebook.ads.sdk.APIContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class MetaAudienceProviderTest {

    private static final String TOKEN = "EAAGm0PX4ZCpsBAsecretTokenValue0123456789";
    private static final String AUDIENCE = "23851234567890123";
    private static final String USERS = "/v24.0/" + AUDIENCE + "/users";
    private static final String USERS_REPLACE = "/v24.0/" + AUDIENCE + "/usersreplace";
    // The SDK's node read ends in "/", which the Graph API takes as the node itself.
    private static final String AUDIENCE_NODE = "/v24.0/" + AUDIENCE + "/";
    private static final String CREATE = "/v24.0/act_1234567890/customaudiences";
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READ_TIMEOUT = Duration.ofMillis(1_500);

    // Two customers as the customer module holds them, and their normalised forms.
    private static final String ANN_EMAIL = " Ann.Example@Shop.EXAMPLE ";
    private static final String ANN_EMAIL_NORMALISED = "ann.example@shop.example";
    private static final String ANN_PHONE = "020 7946 0018";
    private static final String ANN_PHONE_NORMALISED = "442079460018";
    private static final String BOB_PHONE = "+1 (650) 555-1234";
    private static final String BOB_PHONE_NORMALISED = "16505551234";

    @RegisterExtension
    static WireMockExtension meta = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private Level auditLevel;

    @BeforeEach
    void logEverything() {
        ch.qos.logback.classic.Logger audience =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.loyalflow.audience");
        auditLevel = audience.getLevel();
        audience.setLevel(Level.TRACE);
    }

    @AfterEach
    void restoreLogLevel() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.loyalflow.audience")).setLevel(auditLevel);
    }

    private static AudienceProperties.Meta settings(String baseUrl, String appSecret) {
        return new AudienceProperties.Meta(
                "1234567890", TOKEN, appSecret, "v24.0", URI.create(baseUrl), Duration.ofSeconds(1), READ_TIMEOUT);
    }

    private static MetaAudienceProvider provider() {
        return new MetaAudienceProvider(settings(meta.baseUrl(), null));
    }

    private static List<HashedMember> members() {
        return List.of(
                AudienceHashing.member(ANN_EMAIL, ANN_PHONE, "GB").orElseThrow(),
                AudienceHashing.member(null, BOB_PHONE, "GB").orElseThrow());
    }

    private static ResponseDefinitionBuilder counted(int received, int invalid) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"audience_id\":\"" + AUDIENCE + "\",\"session_id\":\"9\",\"num_received\":" + received
                        + ",\"num_invalid_entries\":" + invalid + ",\"invalid_entry_samples\":{}}");
    }

    private static ResponseDefinitionBuilder metaError(int status, int code, String message) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
                        + ",\"error_subcode\":1870024,\"fbtrace_id\":\"AbCdEf\"}}");
    }

    private static String expectedPayload() {
        List<HashedMember> members = members();
        return "{\"schema\":[\"EMAIL_SHA256\",\"PHONE_SHA256\"],\"data\":[[\""
                + members.get(0).emailSha256() + "\",\"" + members.get(0).phoneSha256() + "\"],[\"\",\""
                + members.get(1).phoneSha256() + "\"]]}";
    }

    @Test
    void addPostsTheHashedMembersAsMultipartPayloadWithTheToken() {
        meta.stubFor(post(urlEqualTo(USERS)).willReturn(counted(2, 1)));

        UploadResult result = provider().add(AUDIENCE, members());

        assertThat(result).isEqualTo(new UploadResult(2, 1));
        meta.verify(
                1,
                postRequestedFor(urlEqualTo(USERS))
                        .withHeader("Content-Type", containing("multipart/form-data; boundary="))
                        .withRequestBodyPart(aMultipart("payload")
                                .withBody(equalToJson(expectedPayload()))
                                .build())
                        .withRequestBodyPart(aMultipart("access_token")
                                .withBody(equalTo(TOKEN))
                                .build()));
    }

    @Test
    void removeSendsTheSamePayloadWithDelete() {
        meta.stubFor(delete(urlEqualTo(USERS)).willReturn(counted(2, 0)));

        UploadResult result = provider().remove(AUDIENCE, members());

        assertThat(result).isEqualTo(new UploadResult(2, 0));
        meta.verify(
                1,
                deleteRequestedFor(urlEqualTo(USERS))
                        .withRequestBodyPart(aMultipart("payload")
                                .withBody(equalToJson(expectedPayload()))
                                .build())
                        .withRequestBodyPart(aMultipart("access_token")
                                .withBody(equalTo(TOKEN))
                                .build()));
    }

    @Test
    void replaceSendsTheSessionWithThePayload() {
        meta.stubFor(post(urlEqualTo(USERS_REPLACE)).willReturn(counted(2, 0)));

        UploadResult result = provider().replace(AUDIENCE, new ReplaceBatch(7_001L, 3, true, 20_002L), members());

        assertThat(result).isEqualTo(new UploadResult(2, 0));
        meta.verify(
                1,
                postRequestedFor(urlEqualTo(USERS_REPLACE))
                        .withRequestBodyPart(aMultipart("session")
                                .withBody(equalToJson("{\"session_id\":7001,\"batch_seq\":3,"
                                        + "\"last_batch_flag\":true,\"estimated_num_total\":20002}"))
                                .build())
                        .withRequestBodyPart(aMultipart("payload")
                                .withBody(equalToJson(expectedPayload()))
                                .build())
                        .withRequestBodyPart(aMultipart("access_token")
                                .withBody(equalTo(TOKEN))
                                .build()));
    }

    @Test
    void healthAsksForTheOperationStatus() {
        meta.stubFor(get(urlPathEqualTo(AUDIENCE_NODE))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("{\"operation_status\":{\"code\":200,\"description\":\"Normal\"},\"id\":\"" + AUDIENCE
                                + "\"}")));

        AudienceHealth health = provider().health(AUDIENCE);

        assertThat(health).isEqualTo(new AudienceHealth(200, "Normal"));
        assertThat(health.flagged()).isFalse();
        meta.verify(
                1,
                getRequestedFor(urlPathEqualTo(AUDIENCE_NODE))
                        .withQueryParam("fields", equalTo("operation_status"))
                        .withQueryParam("access_token", equalTo(TOKEN)));
    }

    @Test
    void anAudienceMetaFlaggedReportsFlagged() {
        meta.stubFor(get(urlPathEqualTo(AUDIENCE_NODE))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("{\"operation_status\":{\"code\":471,\"description\":\"This audience was "
                                + "flagged\"},\"id\":\"" + AUDIENCE + "\"}")));

        AudienceHealth health = provider().health(AUDIENCE);

        assertThat(health.code()).isEqualTo(471);
        assertThat(health.flagged()).isTrue();
    }

    @Test
    void createMakesACustomerFileAudienceInTheAdAccount() {
        meta.stubFor(
                post(urlEqualTo(CREATE)).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"2385999\"}")));

        String id = provider().create("VIP customers", "Loyalflow segment vip");

        assertThat(id).isEqualTo("2385999");
        meta.verify(
                1,
                postRequestedFor(urlEqualTo(CREATE))
                        .withRequestBodyPart(aMultipart("name")
                                .withBody(equalTo("VIP customers"))
                                .build())
                        .withRequestBodyPart(aMultipart("description")
                                .withBody(equalTo("Loyalflow segment vip"))
                                .build())
                        .withRequestBodyPart(aMultipart("subtype")
                                .withBody(equalTo("CUSTOM"))
                                .build())
                        .withRequestBodyPart(aMultipart("customer_file_source")
                                .withBody(equalTo("USER_PROVIDED_ONLY"))
                                .build())
                        .withRequestBodyPart(aMultipart("access_token")
                                .withBody(equalTo(TOKEN))
                                .build()));
    }

    @Test
    void anAppSecretAddsItsProofToEveryCall() {
        meta.stubFor(post(urlEqualTo(USERS)).willReturn(counted(2, 0)));

        new MetaAudienceProvider(settings(meta.baseUrl(), "app-secret-42")).add(AUDIENCE, members());

        meta.verify(
                1,
                postRequestedFor(urlEqualTo(USERS))
                        .withRequestBodyPart(aMultipart("appsecret_proof")
                                .withBody(equalTo(APIContext.sha256("app-secret-42", TOKEN)))
                                .build()));
    }

    /** Whatever goes to Meta: hashes, never an address or a number, raw or normalised. */
    @Test
    void noRequestEverCarriesARawOrNormalisedAddressOrNumber() throws IOException {
        meta.stubFor(post(urlEqualTo(USERS)).willReturn(counted(2, 0)));
        meta.stubFor(delete(urlEqualTo(USERS)).willReturn(counted(2, 0)));
        meta.stubFor(post(urlEqualTo(USERS_REPLACE)).willReturn(counted(2, 0)));
        MetaAudienceProvider provider = provider();

        provider.add(AUDIENCE, members());
        provider.remove(AUDIENCE, members());
        provider.replace(AUDIENCE, new ReplaceBatch(1L, 1, true, 2L), members());

        List<LoggedRequest> requests = meta.findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).hasSize(3);
        List<String> forbidden = List.of(
                ANN_EMAIL.strip(),
                ANN_EMAIL_NORMALISED,
                ANN_PHONE,
                ANN_PHONE_NORMALISED,
                "2079460018",
                BOB_PHONE,
                BOB_PHONE_NORMALISED,
                "6505551234");
        for (LoggedRequest request : requests) {
            String body = request.getBodyAsString();
            for (String raw : forbidden) {
                assertThat(body).doesNotContainIgnoringCase(raw);
                assertThat(request.getUrl()).doesNotContainIgnoringCase(raw);
            }
            JsonNode payload =
                    JSON.readTree(request.getPart("payload").getBody().asString());
            assertThat(payload.get("data")).hasSize(2);
            for (JsonNode record : payload.get("data")) {
                for (JsonNode value : record) {
                    assertThat(value.asText())
                            .matches(v -> v.isEmpty() || HASH.matcher(v).matches(), "a hash");
                }
            }
        }
    }

    @Test
    void aRateLimitIsUnavailableAndNamesAudienceStatusAndMetaError() {
        meta.stubFor(post(urlEqualTo(USERS))
                .willReturn(metaError(400, 80003, "There have been too many calls to this ad-account.")));

        assertThatThrownBy(() -> provider().add(AUDIENCE, members()))
                .isInstanceOf(AudienceProviderUnavailableException.class)
                .hasMessageContaining(AUDIENCE)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("80003")
                .hasMessageContaining("too many calls");
    }

    @Test
    void aServerErrorIsUnavailable() {
        meta.stubFor(
                delete(urlEqualTo(USERS)).willReturn(aResponse().withStatus(500).withBody("oops")));

        assertThatThrownBy(() -> provider().remove(AUDIENCE, members()))
                .isInstanceOf(AudienceProviderUnavailableException.class)
                .hasMessageContaining(AUDIENCE)
                .hasMessageContaining("HTTP 500");
    }

    @Test
    void aBadTokenIsRejectedWithoutRepeatingTheToken(CapturedOutput output) {
        meta.stubFor(post(urlEqualTo(USERS)).willReturn(metaError(400, 190, "Malformed access token " + TOKEN)));

        assertThatThrownBy(() -> provider().add(AUDIENCE, members()))
                .isInstanceOf(AudienceRequestRejectedException.class)
                .hasMessageContaining(AUDIENCE)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("190")
                .hasMessageContaining("Malformed access token")
                .message()
                .doesNotContain(TOKEN);
        assertThat(output.getAll()).doesNotContain(TOKEN);
    }

    @Test
    void noAnswerWithinTheReadTimeoutIsUnavailable() {
        meta.stubFor(post(urlEqualTo(USERS)).willReturn(counted(2, 0).withFixedDelay(3_000)));

        long started = System.nanoTime();
        assertThatThrownBy(() -> provider().add(AUDIENCE, members()))
                .isInstanceOf(AudienceProviderUnavailableException.class)
                .hasMessageContaining(AUDIENCE)
                .hasMessageContaining("no answer");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_900));
    }

    @Test
    void anAnswerThatTricklesInBeyondTheDeadlineIsUnavailable() {
        meta.stubFor(post(urlEqualTo(USERS)).willReturn(counted(2, 0).withChunkedDribbleDelay(10, 5_000)));

        long started = System.nanoTime();
        assertThatThrownBy(() -> provider().add(AUDIENCE, members()))
                .isInstanceOf(AudienceProviderUnavailableException.class)
                .hasMessageContaining("no answer");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(4_000));
    }

    @Test
    void anAnswerLargerThanAnyOfMetasIsUnavailable() {
        meta.stubFor(post(urlEqualTo(USERS))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("{\"num_received\":2,\"padding\":\""
                                + "x".repeat(MetaRequestExecutor.MAX_RESPONSE_BYTES) + "\"}")));

        assertThatThrownBy(() -> provider().add(AUDIENCE, members()))
                .isInstanceOf(AudienceProviderUnavailableException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void aRefusedConnectionIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MetaAudienceProvider provider = new MetaAudienceProvider(settings("http://localhost:" + closedPort, null));

        assertThatThrownBy(() -> provider.health(AUDIENCE))
                .isInstanceOf(AudienceProviderUnavailableException.class)
                .hasMessageContaining(AUDIENCE);
    }

    @Test
    void theTokenAppearsInNoExceptionMessageNorLogLine(CapturedOutput output) {
        meta.stubFor(get(urlPathEqualTo(AUDIENCE_NODE)).willReturn(counted(1, 0).withFixedDelay(3_000)));
        meta.stubFor(post(urlEqualTo(USERS)).willReturn(metaError(500, 2, "Service temporarily unavailable")));
        meta.stubFor(delete(urlEqualTo(USERS)).willReturn(metaError(403, 200, "Permissions error")));
        meta.stubFor(post(urlEqualTo(USERS_REPLACE))
                .willReturn(aResponse().withStatus(200).withBody("<html>")));
        meta.stubFor(post(urlEqualTo(CREATE)).willReturn(metaError(400, 100, "Invalid parameter")));
        MetaAudienceProvider provider = provider();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

        collect(failures, () -> provider.health(AUDIENCE));
        collect(failures, () -> provider.add(AUDIENCE, members()));
        collect(failures, () -> provider.remove(AUDIENCE, members()));
        collect(failures, () -> provider.replace(AUDIENCE, new ReplaceBatch(1L, 1, false, 2L), members()));
        collect(failures, () -> provider.create("VIP", null));

        assertThat(failures).hasSize(5);
        assertThat(failures.get(2)).isInstanceOf(AudienceRequestRejectedException.class);
        assertThat(failures.get(4)).isInstanceOf(AudienceRequestRejectedException.class);
        for (Throwable failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(TOKEN);
            }
        }
        assertThat(output.getAll()).isNotEmpty().doesNotContain(TOKEN);
    }

    private static void collect(List<Throwable> failures, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    @Test
    void batchesOutsideOneToTenThousandAreRefusedBeforeAnyCall() {
        MetaAudienceProvider provider = provider();
        HashedMember member = members().get(0);
        List<HashedMember> tooMany = Collections.nCopies(10_001, member);

        assertThatThrownBy(() -> provider.add(AUDIENCE, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.remove(AUDIENCE, tooMany)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.replace(AUDIENCE, new ReplaceBatch(1L, 1, true, 0L), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.add("123/../act_1", List.of(member)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(meta.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void tenThousandMembersGoInOneRequest() {
        meta.stubFor(post(urlEqualTo(USERS)).willReturn(counted(10_000, 0)));

        UploadResult result =
                provider().add(AUDIENCE, Collections.nCopies(10_000, members().get(0)));

        assertThat(result.received()).isEqualTo(10_000);
        meta.verify(1, postRequestedFor(urlEqualTo(USERS)));
    }
}
