package io.loyalflow.messaging.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.messaging.SuppressionReason;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SendGridEmailProviderTest {

    private static final String API_KEY = "SG.test-key";
    private static final String MAIL_SEND = "/v3/mail/send";

    @RegisterExtension
    static WireMockExtension sendGrid = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static MessagingProperties.SendGrid settings(URI apiBaseUrl) {
        return new MessagingProperties.SendGrid(
                API_KEY,
                apiBaseUrl,
                "hello@shop.example",
                "The Shop",
                null,
                null,
                Duration.ofSeconds(1),
                Duration.ofMillis(300));
    }

    private static SendGridEmailProvider provider() {
        return new SendGridEmailProvider(settings(URI.create(sendGrid.baseUrl())));
    }

    private static EmailMessage minimalMessage() {
        return new EmailMessage(
                "del-1",
                "bob@example.com",
                null,
                "news@shop.example",
                null,
                "d-0123456789abcdef",
                null,
                null,
                null,
                null,
                null);
    }

    private static void answer(ResponseDefinitionBuilder response) {
        sendGrid.stubFor(post(urlEqualTo(MAIL_SEND)).willReturn(response));
    }

    @Test
    void sendsTheTemplateWithDataArgsCategoryGroupAndOneClickUnsubscribeHeaders() {
        answer(aResponse().withStatus(202).withHeader("X-Message-Id", "W8A3dCgXRamK2rVZjQ1Kdw"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("firstName", "Ann");
        data.put("points", 1250);
        data.put("ratio", 0.5);
        data.put("vip", true);
        data.put("items", List.of("Blue Train", "Kind of Blue"));
        data.put("voucher", Map.of("code", "SPRING10", "percent", 10));
        EmailMessage message = new EmailMessage(
                "del-42",
                "ann@example.com",
                "Ann Example",
                "news@shop.example",
                "The Shop",
                "d-0123456789abcdef",
                data,
                "spring-sale",
                Map.of(EmailMessage.PROCESS_INSTANCE_ARG, "pi-9"),
                "https://loyal.example/unsubscribe/tok3n",
                4711);

        SendResult result = provider().send(message);

        assertThat(result).isEqualTo(new SendResult.Accepted("W8A3dCgXRamK2rVZjQ1Kdw"));
        sendGrid.verify(
                1,
                postRequestedFor(urlEqualTo(MAIL_SEND))
                        .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                        .withRequestBody(equalToJson("""
            {
              "from": {"email": "news@shop.example", "name": "The Shop"},
              "template_id": "d-0123456789abcdef",
              "personalizations": [{
                "to": [{"email": "ann@example.com", "name": "Ann Example"}],
                "dynamic_template_data": {
                  "firstName": "Ann",
                  "points": 1250,
                  "ratio": 0.5,
                  "vip": true,
                  "items": ["Blue Train", "Kind of Blue"],
                  "voucher": {"code": "SPRING10", "percent": 10}
                },
                "custom_args": {
                  "loyalflow_delivery_id": "del-42",
                  "loyalflow_process_instance_id": "pi-9"
                }
              }],
              "categories": ["spring-sale"],
              "asm": {"group_id": 4711, "groups_to_display": [4711]},
              "headers": {
                "List-Unsubscribe": "<https://loyal.example/unsubscribe/tok3n>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"
              }
            }""")));
    }

    @Test
    void withoutCategoryGroupOrUnsubscribeLinkTheMailCarriesNoneOfThem() {
        answer(aResponse().withStatus(202).withHeader("X-Message-Id", "id-1"));

        provider().send(minimalMessage());

        sendGrid.verify(1, postRequestedFor(urlEqualTo(MAIL_SEND)).withRequestBody(equalToJson("""
        {
          "from": {"email": "news@shop.example"},
          "template_id": "d-0123456789abcdef",
          "personalizations": [{
            "to": [{"email": "bob@example.com"}],
            "custom_args": {"loyalflow_delivery_id": "del-1"}
          }]
        }""")));
    }

    @Test
    void aMessageWithoutSenderGoesOutFromTheConfiguredOne() {
        answer(aResponse().withStatus(202));
        EmailMessage message = new EmailMessage(
                "del-1", "bob@example.com", null, null, null, "d-0123456789abcdef", null, null, null, null, null);

        provider().send(message);

        sendGrid.verify(
                1,
                postRequestedFor(urlEqualTo(MAIL_SEND))
                        .withRequestBody(matchingJsonPath("$.from.email", equalTo("hello@shop.example")))
                        .withRequestBody(matchingJsonPath("$.from.name", equalTo("The Shop"))));
    }

    @Test
    void theDeliveryIdCannotBeOverwrittenByACustomArg() {
        answer(aResponse().withStatus(202));
        EmailMessage message = new EmailMessage(
                "del-1",
                "bob@example.com",
                null,
                "news@shop.example",
                null,
                "d-0123456789abcdef",
                null,
                null,
                Map.of(EmailMessage.DELIVERY_ID_ARG, "forged"),
                null,
                null);

        provider().send(message);

        sendGrid.verify(
                1,
                postRequestedFor(urlEqualTo(MAIL_SEND))
                        .withRequestBody(matchingJsonPath(
                                "$.personalizations[0].custom_args.loyalflow_delivery_id", equalTo("del-1"))));
    }

    @Test
    void theMessageIdIsFoundWhateverTheCaseOfItsHeader() {
        answer(aResponse().withStatus(202).withHeader("x-message-id", "lower-case-id"));

        assertThat(provider().send(minimalMessage())).isEqualTo(new SendResult.Accepted("lower-case-id"));
    }

    @Test
    void rateLimitedIsRetryableAfterTheReset() {
        long reset = Instant.now().getEpochSecond() + 30;
        answer(aResponse()
                .withStatus(429)
                .withHeader("X-RateLimit-Reset", String.valueOf(reset))
                .withBody("{\"errors\":[{\"field\":null,\"message\":\"too many requests\"}]}"));

        SendResult result = provider().send(minimalMessage());

        assertThat(result).isInstanceOfSatisfying(SendResult.Retryable.class, retryable -> {
            assertThat(retryable.retryAfter()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31));
            assertThat(retryable.reason()).contains("429");
        });
    }

    @Test
    void rateLimitedWithRetryAfterIsRetryableAfterThatManySeconds() {
        answer(aResponse()
                .withStatus(429)
                .withHeader("Retry-After", "120")
                .withHeader("X-RateLimit-Reset", String.valueOf(Instant.now().getEpochSecond() + 30))
                .withBody("{\"errors\":[{\"field\":null,\"message\":\"too many requests\"}]}"));

        assertThat(provider().send(minimalMessage()))
                .isInstanceOfSatisfying(
                        SendResult.Retryable.class,
                        retryable -> assertThat(retryable.retryAfter()).isEqualTo(Duration.ofSeconds(120)));
    }

    @Test
    void rateLimitedWithoutResetHeaderIsRetryableWithoutHint() {
        answer(aResponse().withStatus(429));

        assertThat(provider().send(minimalMessage()))
                .isInstanceOfSatisfying(
                        SendResult.Retryable.class,
                        retryable -> assertThat(retryable.retryAfter()).isNull());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void serverErrorsThatSendNothingAreRetryable(int status) {
        answer(aResponse().withStatus(status).withBody("{\"errors\":[{\"message\":\"internal error\"}]}"));

        SendResult result = provider().send(minimalMessage());

        assertThat(result).isInstanceOfSatisfying(SendResult.Retryable.class, retryable -> {
            assertThat(retryable.reason()).contains(String.valueOf(status)).contains("internal error");
            assertThat(retryable.retryAfter()).isNull();
        });
        sendGrid.verify(1, postRequestedFor(urlEqualTo(MAIL_SEND)));
    }

    @Test
    void aGatewayTimeoutMayHaveSentTheMailSoItsOutcomeIsUnknown() {
        answer(aResponse().withStatus(504).withBody("<html>gateway timeout</html>"));

        assertThat(provider().send(minimalMessage()))
                .isInstanceOfSatisfying(
                        SendResult.Unknown.class,
                        unknown -> assertThat(unknown.reason()).contains("504"));
    }

    @Test
    void anInvalidRecipientAddressIsAHardBounce() {
        answer(aResponse().withStatus(400).withBody("""
        {"errors":[{"message":"Does not contain a valid address.","field":"personalizations.0.to.0.email",
        "help":"http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to"}]}"""));

        SendResult result = provider().send(minimalMessage());

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> {
            assertThat(rejected.errorCode()).isEqualTo("400");
            assertThat(rejected.suppress()).isEqualTo(SuppressionReason.HARD_BOUNCE);
            assertThat(rejected.reason()).contains("Does not contain a valid address");
        });
    }

    @Test
    void anInvalidSenderAddressIsOurMistakeAndSuppressesNobody() {
        answer(aResponse().withStatus(400).withBody("""
        {"errors":[{"message":"The from email does not contain a valid address.","field":"from.email",
        "help":"http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.from"}]}"""));

        assertThat(provider().send(minimalMessage())).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> {
            assertThat(rejected.errorCode()).isEqualTo("400");
            assertThat(rejected.suppress()).isNull();
        });
    }

    @Test
    void anyOtherBadRequestIsRejectedWithoutSuppression() {
        answer(aResponse().withStatus(400).withBody("""
        {"errors":[{"message":"The template_id must be a valid GUID, you provided 'x'.","field":"template_id"}]}"""));

        assertThat(provider().send(minimalMessage())).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> {
            assertThat(rejected.errorCode()).isEqualTo("400");
            assertThat(rejected.suppress()).isNull();
            assertThat(rejected.reason()).contains("template_id");
        });
    }

    @Test
    void aRefusedKeyIsRejectedWithItsStatus() {
        answer(aResponse()
                .withStatus(403)
                .withBody("{\"errors\":[{\"field\":null,\"message\":\"access forbidden\"}]}"));

        assertThat(provider().send(minimalMessage()))
                .isEqualTo(new SendResult.Rejected(
                        "SendGrid answered 403: {\"errors\":[{\"field\":null,\"message\":\"access forbidden\"}]}",
                        "403",
                        null));
    }

    @Test
    void noAnswerWithinTheReadTimeoutIsUnknown() {
        answer(aResponse().withStatus(202).withHeader("X-Message-Id", "late").withFixedDelay(3_000));

        long started = System.nanoTime();
        SendResult result = provider().send(minimalMessage());

        assertThat(result).isInstanceOf(SendResult.Unknown.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_000));
        sendGrid.verify(1, postRequestedFor(urlEqualTo(MAIL_SEND)));
    }

    @Test
    void aRefusedConnectionSentNothingAndIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SendGridEmailProvider provider =
                new SendGridEmailProvider(settings(URI.create("http://localhost:" + closedPort)));

        assertThat(provider.send(minimalMessage())).isInstanceOf(SendResult.Retryable.class);
    }

    @Test
    void noConnectionWithinTheConfiguredConnectTimeoutSentNothingAndIsRetryable() throws IOException {
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket server = SaturatedPort.saturatedListener(fillers)) {
            var provider = new SendGridEmailProvider(settings(URI.create("http://127.0.0.1:" + server.getLocalPort())));

            long started = System.nanoTime();
            SendResult result = provider.send(minimalMessage());

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
