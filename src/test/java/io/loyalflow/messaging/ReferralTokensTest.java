package io.loyalflow.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The referral tokens ({@code {{referralShareUrl}}}, {@code {{successfulReferrals}}},
 * {@code {{extendedRevenue}}}) rendered in real sends through the Twilio and SendGrid SDKs, test-sent
 * by the service account, which sees a sample customer's data (analysts see placeholders).
 */
class ReferralTokensTest extends MessagingIntegrationTest {

    private static final String SHARE_URL = "https://mention-me.com/m/ole/cj6qx-ann-lee";
    private static final String TESTER_PHONE = "+13125550171";

    private void referral(String customerId) {
        as(SERVICE)
                .body(Map.of(
                        "activity",
                        "Active",
                        "successfulReferrals",
                        5,
                        "shareUrl",
                        SHARE_URL,
                        "extendedRevenue",
                        new java.math.BigDecimal("1234.50"),
                        "statedAt",
                        "2026-01-10T09:00:00Z"))
                .put("/api/customers/{id}/referral", customerId)
                .then()
                .statusCode(201);
    }

    @Test
    void anSmsRendersTheCustomersShareLinkReferralsAndExtendedRevenue() {
        String customer = newCustomer("referrer@example.com", "+13125550172", "America/Chicago", true, true);
        referral(customer);
        twilioAccepts("SM" + "a".repeat(32));

        String deliveryId = as(SERVICE)
                .body(Map.of(
                        "channel",
                        "sms",
                        "to",
                        TESTER_PHONE,
                        "smsText",
                        "Hi {{firstName}}, {{successfulReferrals}} friends joined ({{extendedRevenue}} USD). "
                                + "Share again: {{referralShareUrl}}",
                        "sampleCustomerId",
                        customer))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(201)
                .body("status", equalTo("SENT"))
                .extract()
                .path("deliveryId");

        List<LoggedRequest> requests = PROVIDERS.findAll(postRequestedFor(urlEqualTo(TWILIO_SEND)));
        assertThat(requests).hasSize(1);
        Map<String, String> form = form(requests.get(0));
        assertThat(form)
                .containsEntry("To", TESTER_PHONE)
                .containsEntry("Body", "Hi Ann, 5 friends joined (1234.5 USD). Share again: " + SHARE_URL);
        assertThat(delivery(deliveryId)).containsEntry("content", form.get("Body"));
    }

    @Test
    void withoutReferralStatisticsTheTokensAreEmptySoTheirFallbacksApply() {
        String customer = newCustomer("no-referrals@example.com", "+13125550173", null, true, true);
        twilioAccepts("SM" + "b".repeat(32));

        as(SERVICE)
                .body(Map.of(
                        "channel",
                        "sms",
                        "to",
                        TESTER_PHONE,
                        "smsText",
                        "Invite friends: {{referralShareUrl|https://shop.example/refer}} ({{successfulReferrals|0}})"
                                + "{{extendedRevenue}}",
                        "sampleCustomerId",
                        customer))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(201)
                .body("status", equalTo("SENT"));

        assertThat(form(PROVIDERS
                        .findAll(postRequestedFor(urlEqualTo(TWILIO_SEND)))
                        .get(0)))
                .containsEntry("Body", "Invite friends: https://shop.example/refer (0)");
    }

    @Test
    void anEmailsTemplateDataRendersThemToo() {
        String customer = newCustomer("referrer-mail@example.com", null, null, true, false);
        referral(customer);
        sendGridAccepts("sg-referral");

        as(SERVICE)
                .body(Map.of(
                        "channel",
                        "email",
                        "to",
                        "ana@shop.com",
                        "templateId",
                        TEMPLATE,
                        "templateData",
                        Map.of(
                                "shareUrl",
                                "{{referralShareUrl}}",
                                "friends",
                                "{{successfulReferrals}}",
                                "ecr",
                                "{{extendedRevenue}}"),
                        "sampleCustomerId",
                        customer))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(201)
                .body("status", equalTo("SENT"));

        assertThat(PROVIDERS.findAll(postRequestedFor(urlEqualTo(SENDGRID_SEND))))
                .singleElement()
                .satisfies(request -> assertThat(request.getBodyAsString())
                        .contains("\"shareUrl\":\"" + SHARE_URL + "\"")
                        .contains("\"friends\":\"5\"")
                        .contains("\"ecr\":\"1234.5\""));
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            form.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
