package io.loyalflow.messaging.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.rest.Domains;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.messaging.SuppressionReason;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TwilioSmsProviderTest {

    private static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    private static final String AUTH_TOKEN = "test-auth-token";
    private static final String SERVICE_SID = "MG0123456789abcdef0123456789abcdef";
    private static final String MESSAGES = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
    private static final String MESSAGE_SID = "SM1f0e8ae6ade43cb3c0ce4525424e404f";
    private static final String CALLBACK = "https://loyal.example/webhooks/twilio/status?delivery=del-7";
    private static final String BODY = "Hi Ann & co: 10% off été, https://shop.example/s?a=1&b=2 Reply STOP to opt out";

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static MessagingProperties.Twilio settings(URI apiBaseUrl, String serviceSid, String fromNumber) {
        return new MessagingProperties.Twilio(
                ACCOUNT_SID,
                AUTH_TOKEN,
                serviceSid,
                fromNumber,
                apiBaseUrl,
                Duration.ofSeconds(1),
                Duration.ofMillis(300));
    }

    private static TwilioSmsProvider provider() {
        return new TwilioSmsProvider(settings(URI.create(twilio.baseUrl()), SERVICE_SID, null));
    }

    private static SmsMessage message() {
        return new SmsMessage("del-7", "+33612345678", BODY, CALLBACK);
    }

    private static void answer(ResponseDefinitionBuilder response) {
        twilio.stubFor(post(urlEqualTo(MESSAGES)).willReturn(response));
    }

    private static ResponseDefinitionBuilder created() {
        return aResponse()
                .withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("""
        {
          "account_sid": "%1$s",
          "api_version": "2010-04-01",
          "body": "Hi Ann",
          "date_created": "Thu, 24 Aug 2023 05:01:45 +0000",
          "date_sent": null,
          "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000",
          "direction": "outbound-api",
          "error_code": null,
          "error_message": null,
          "from": null,
          "messaging_service_sid": "%2$s",
          "num_media": "0",
          "num_segments": "1",
          "price": null,
          "price_unit": null,
          "sid": "%3$s",
          "status": "accepted",
          "subresource_uris": {"media": "/2010-04-01/Accounts/%1$s/Messages/%3$s/Media.json"},
          "to": "+33612345678",
          "uri": "/2010-04-01/Accounts/%1$s/Messages/%3$s.json"
        }""".formatted(ACCOUNT_SID, SERVICE_SID, MESSAGE_SID));
    }

    private static ResponseDefinitionBuilder error(int status, int code, String message) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("""
        {"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}""".formatted(code, message, code, status));
    }

    private static Map<String, List<String>> formOf(LoggedRequest request) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            String[] nameValue = pair.split("=", 2);
            form.computeIfAbsent(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8), name -> new ArrayList<>())
                    .add(URLDecoder.decode(nameValue.length > 1 ? nameValue[1] : "", StandardCharsets.UTF_8));
        }
        return form;
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = twilio.findAll(postRequestedFor(urlEqualTo(MESSAGES)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    @Test
    void postsTheFormThroughTheMessagingServiceWithStatusCallbackAndBasicAuth() {
        answer(created());

        SendResult result = provider().send(message());

        assertThat(result).isEqualTo(new SendResult.Accepted(MESSAGE_SID));
        twilio.verify(
                1,
                postRequestedFor(urlEqualTo(MESSAGES))
                        .withBasicAuth(new BasicCredentials(ACCOUNT_SID, AUTH_TOKEN))
                        .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                        .withFormParam("To", equalTo("+33612345678"))
                        .withFormParam("Body", equalTo(BODY))
                        .withFormParam("MessagingServiceSid", equalTo(SERVICE_SID))
                        .withFormParam("StatusCallback", equalTo(CALLBACK))
                        .withoutFormParam("From"));
        assertThat(formOf(onlyRequest()))
                .containsOnly(
                        Map.entry("To", List.of("+33612345678")),
                        Map.entry("Body", List.of(BODY)),
                        Map.entry("MessagingServiceSid", List.of(SERVICE_SID)),
                        Map.entry("StatusCallback", List.of(CALLBACK)));
    }

    @Test
    void withoutMessagingServiceItSendsFromTheConfiguredNumber() {
        answer(created());
        TwilioSmsProvider provider =
                new TwilioSmsProvider(settings(URI.create(twilio.baseUrl()), null, "+15005550006"));

        SendResult result = provider.send(new SmsMessage("del-8", "+33612345678", "Hello", null));

        assertThat(result).isEqualTo(new SendResult.Accepted(MESSAGE_SID));
        assertThat(formOf(onlyRequest()))
                .containsOnly(
                        Map.entry("To", List.of("+33612345678")),
                        Map.entry("From", List.of("+15005550006")),
                        Map.entry("Body", List.of("Hello")));
    }

    @Test
    void anUnsubscribedRecipientIsRejectedAndStopped() {
        answer(error(400, 21610, "Attempt to send to unsubscribed recipient"));

        SendResult result = provider().send(message());

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> {
            assertThat(rejected.errorCode()).isEqualTo("21610");
            assertThat(rejected.suppress()).isEqualTo(SuppressionReason.STOPPED);
            assertThat(rejected.reason()).contains("unsubscribed recipient");
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {21211, 21614})
    void aNumberThatCannotTakeSmsIsRejectedAsInvalid(int code) {
        answer(error(400, code, "Invalid 'To' Phone Number"));

        assertThat(provider().send(message())).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> {
            assertThat(rejected.errorCode()).isEqualTo(String.valueOf(code));
            assertThat(rejected.suppress()).isEqualTo(SuppressionReason.INVALID_NUMBER);
        });
    }

    @Test
    void anyOtherRefusalIsRejectedWithItsCodeAndNoSuppression() {
        answer(error(
                400,
                21408,
                "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"));

        assertThat(provider().send(message())).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> {
            assertThat(rejected.errorCode()).isEqualTo("21408");
            assertThat(rejected.suppress()).isNull();
        });
    }

    @Test
    void tooManyRequestsIsRetryableWithTheServersHint() {
        answer(error(429, 20429, "Too Many Requests").withHeader("Retry-After", "7"));

        assertThat(provider().send(message()))
                .isEqualTo(new SendResult.Retryable(
                        "Twilio answered 429 with error 20429: Too Many Requests", Duration.ofSeconds(7)));
    }

    @Test
    void anInternalErrorIsRetryableAndTheSdkDoesNotResendIt() {
        answer(error(500, 20500, "An internal server error has occurred"));

        SendResult result = provider().send(message());

        assertThat(result).isInstanceOf(SendResult.Retryable.class);
        twilio.verify(1, postRequestedFor(urlEqualTo(MESSAGES)));
    }

    @Test
    void unavailableIsRetryableAndNeitherSdkNorHttpClientResendsIt() {
        // With a Retry-After hint too: nothing in the stack may resend the POST.
        answer(error(503, 20503, "Service Unavailable").withHeader("Retry-After", "1"));

        SendResult result = provider().send(message());

        assertThat(result)
                .isInstanceOfSatisfying(
                        SendResult.Retryable.class,
                        retryable -> assertThat(retryable.reason()).contains("503"));
        twilio.verify(1, postRequestedFor(urlEqualTo(MESSAGES)));
    }

    @Test
    void aProxysBadGatewayPageIsClassifiedByItsHttpStatus() {
        answer(aResponse()
                .withStatus(502)
                .withHeader("Content-Type", "text/html")
                .withBody("<html>Bad Gateway</html>"));

        SendResult result = provider().send(message());

        assertThat(result)
                .isInstanceOfSatisfying(
                        SendResult.Retryable.class,
                        retryable -> assertThat(retryable.reason()).contains("502"));
        twilio.verify(1, postRequestedFor(urlEqualTo(MESSAGES)));
    }

    @Test
    void aGatewayTimeoutMayHaveCreatedTheMessageSoItsOutcomeIsUnknown() {
        answer(aResponse().withStatus(504));

        SendResult result = provider().send(message());

        assertThat(result)
                .isInstanceOfSatisfying(
                        SendResult.Unknown.class,
                        unknown -> assertThat(unknown.reason()).contains("504"));
        twilio.verify(1, postRequestedFor(urlEqualTo(MESSAGES)));
    }

    @Test
    void noAnswerWithinTheReadTimeoutIsUnknown() {
        answer(created().withFixedDelay(3_000));

        long started = System.nanoTime();
        SendResult result = provider().send(message());

        assertThat(result).isInstanceOf(SendResult.Unknown.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_000));
        twilio.verify(1, postRequestedFor(urlEqualTo(MESSAGES)));
    }

    @Test
    void aRefusedConnectionSentNothingAndIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        TwilioSmsProvider provider =
                new TwilioSmsProvider(settings(URI.create("http://localhost:" + closedPort), SERVICE_SID, null));

        assertThat(provider.send(message())).isInstanceOf(SendResult.Retryable.class);
    }

    @Test
    void theDefaultApiBaseKeepsTheSdksRequestAndAnyOtherBaseIsUsedAsGiven() {
        Request request = new Request(HttpMethod.POST, Domains.API.toString(), MESSAGES);
        request.addQueryParam("PageSize", "20");
        request.addPostParam("To", "+33612345678");
        request.setAuth(ACCOUNT_SID, AUTH_TOKEN);
        Duration timeout = Duration.ofSeconds(1);

        assertThat(new TwilioSingleAttemptHttpClient(URI.create("https://api.twilio.com"), timeout, timeout)
                        .toApiBase(request))
                .isSameAs(request);
        // A two-label host is one the SDK's own URL building would rewrite (into twilio-mock.twilio-mock.test).
        Request rebased = new TwilioSingleAttemptHttpClient(
                        URI.create("http://twilio-mock.test:8089/twilio/"), timeout, timeout)
                .toApiBase(request);
        assertThat(rebased.constructURL())
                .hasToString("http://twilio-mock.test:8089/twilio" + MESSAGES + "?PageSize=20");
        assertThat(rebased.getMethod()).isEqualTo(HttpMethod.POST);
        assertThat(rebased.getPostParams()).isEqualTo(Map.of("To", List.of("+33612345678")));
        assertThat(rebased.getAuthString()).isEqualTo(request.getAuthString()).startsWith("Basic ");
    }

    @Test
    void noConnectionWithinTheConfiguredConnectTimeoutSentNothingAndIsRetryable() throws IOException {
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket server = SaturatedPort.saturatedListener(fillers)) {
            var provider = new TwilioSmsProvider(
                    settings(URI.create("http://127.0.0.1:" + server.getLocalPort()), SERVICE_SID, null));

            long started = System.nanoTime();
            SendResult result = provider.send(message());

            assertThat(result)
                    .isInstanceOfSatisfying(
                            SendResult.Retryable.class,
                            retryable -> assertThat(retryable.reason()).contains("ConnectTimeoutException"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }
}
