package io.loyalflow.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.loyalflow.platform.security.LoyalflowGroups;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;

/**
 * Analysts' test sends: only to their own verified address or phone (set by an administrator), a
 * sample customer's personal tokens as placeholders, and an unsubscribe link that opts nobody out.
 */
class AnalystTestSendsTest extends MessagingIntegrationTest {

    private static final String EVERY_PERSONAL_TOKEN =
            "{{firstName}} {{lastName}} {{email}} {{phone}} {{customerId}} {{referralShareUrl}} {{unsubscribeUrl}}";
    private static final String TEST_UNSUBSCRIBE_URL = PUBLIC_BASE + "/unsubscribe/test";

    @Test
    void anAnalystsTestSendToAnyoneElsesAddressOrPhoneIsRefusedAndSendsNothing() {
        String customer = newCustomer("victim-" + UUID.randomUUID() + "@example.com", "+12125550142", null, true, true);
        sendGridAccepts("sg-foreign");
        twilioAccepts("SM" + "f".repeat(32));
        int deliveriesBefore = jdbc.queryForObject("select count(*) from delivery", Integer.class);

        as(ANALYST)
                .body(Map.of(
                        "channel",
                        "email",
                        "to",
                        "attacker@example.net",
                        "templateId",
                        TEMPLATE,
                        "templateData",
                        Map.of("who", EVERY_PERSONAL_TOKEN),
                        "sampleCustomerId",
                        customer))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("to"))
                .body("errors[0].message", containsString(ANALYST.email));
        as(ANALYST)
                .body(Map.of(
                        "channel",
                        "sms",
                        "to",
                        "+12125550143",
                        "smsText",
                        EVERY_PERSONAL_TOKEN,
                        "sampleCustomerId",
                        customer))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(403)
                .body("errors[0].field", equalTo("to"));

        assertThat(sendGridRequests()).isZero();
        assertThat(twilioRequests()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from delivery", Integer.class))
                .isEqualTo(deliveriesBefore);
    }

    @Test
    void anAnalystsOwnTestSendShowsTheSampleCustomersPersonalTokensAsPlaceholders() {
        String email = "sample-" + UUID.randomUUID() + "@example.com";
        String customer = newCustomer(email, "+12125550144", "America/New_York", true, true);
        as(SERVICE)
                .body(Map.of(
                        "activity",
                        "Active",
                        "successfulReferrals",
                        3,
                        "extendedRevenue",
                        120,
                        "shareUrl",
                        "https://refer.example/ann-lee-secret",
                        "statedAt",
                        "2026-01-10T09:00:00Z"))
                .put("/api/customers/{id}/referral", customer)
                .then()
                .statusCode(201);
        twilioAccepts("SM" + "9".repeat(32));
        sendGridAccepts("sg-own");

        String smsDelivery = as(ANALYST)
                .body(Map.of(
                        "channel",
                        "sms",
                        "to",
                        ANALYST.phone,
                        "smsText",
                        EVERY_PERSONAL_TOKEN + " {{successfulReferrals}}",
                        "sampleCustomerId",
                        customer))
                .post("/api/messaging/test-sends")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(201)
                .body("status", equalTo("SENT"))
                .extract()
                .path("deliveryId");
        String expected = "[first name] [last name] [e-mail address] [phone number] [customer id] "
                + "[referral share link] " + TEST_UNSUBSCRIBE_URL + " 3";
        List<LoggedRequest> sms = PROVIDERS.findAll(postRequestedFor(urlEqualTo(TWILIO_SEND)));
        assertThat(sms)
                .singleElement()
                .satisfies(request -> assertThat(form(request))
                        .containsEntry("To", ANALYST.phone)
                        .containsEntry("Body", expected));
        assertThat(delivery(smsDelivery)).containsEntry("content", expected);

        as(ANALYST)
                .body(Map.of(
                        "channel",
                        "email",
                        "to",
                        " " + ANALYST.email.toUpperCase(java.util.Locale.ROOT),
                        "templateId",
                        TEMPLATE,
                        "templateData",
                        Map.of("who", EVERY_PERSONAL_TOKEN),
                        "sampleCustomerId",
                        customer))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(201)
                .body("status", equalTo("SENT"));
        String mail = PROVIDERS
                .findAll(postRequestedFor(urlEqualTo(SENDGRID_SEND)))
                .get(0)
                .getBodyAsString();
        assertThat(mail)
                .contains("[first name] [last name] [e-mail address] [phone number]")
                .contains(ANALYST.email)
                .doesNotContain("Ann")
                .doesNotContain("Lee")
                .doesNotContain(email)
                .doesNotContain("+12125550144")
                .doesNotContain(customer)
                .doesNotContain("ann-lee-secret")
                .doesNotContainPattern("/unsubscribe/[A-Za-z0-9_-]{40}");
    }

    @Test
    void theUnsubscribeLinkOfATestSendOptsNobodyOut() {
        String email = "still-subscribed-" + UUID.randomUUID() + "@example.com";
        String customer = newCustomer(email, "+12125550145", null, true, true);
        twilioAccepts("SM" + "8".repeat(32));

        // the service account sees the sample's data, but a test message is still no customer's message
        as(SERVICE)
                .body(Map.of(
                        "channel",
                        "sms",
                        "to",
                        "+12125550146",
                        "smsText",
                        "Hi {{firstName}}: {{unsubscribeUrl}}",
                        "sampleCustomerId",
                        customer))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(201);
        String body = form(PROVIDERS
                        .findAll(postRequestedFor(urlEqualTo(TWILIO_SEND)))
                        .get(0))
                .get("Body");
        assertThat(body).isEqualTo("Hi Ann: " + TEST_UNSUBSCRIBE_URL);

        String path = URI.create(body.substring(body.indexOf("http"))).getPath();
        Response shown = RestAssured.given().port(port).get(path);
        shown.then().statusCode(200);
        assertThat(shown.asString()).contains("test").contains("unsubscribes nobody");
        Response clicked = RestAssured.given().port(port).post(path);
        clicked.then().statusCode(200);
        assertThat(clicked.asString()).contains("unsubscribes nobody");

        for (String channel : List.of("email", "sms")) {
            as(SERVICE)
                    .get("/api/customers/{id}", customer)
                    .then()
                    .statusCode(200)
                    .body("consents." + channel + ".status", equalTo("OPTED_IN"));
        }
        assertThat(jdbc.queryForObject(
                        "select count(*) from suppression where address in (?, ?)",
                        Integer.class,
                        email,
                        "+12125550145"))
                .isZero();
    }

    @Test
    void servicesStillTestSendAnywhereWithTheSamplesData() {
        String customer =
                newCustomer("service-sample-" + UUID.randomUUID() + "@example.com", "+12125550147", null, true, true);
        twilioAccepts("SM" + "7".repeat(32));

        as(SERVICE)
                .body(Map.of(
                        "channel",
                        "sms",
                        "to",
                        "+12125550148",
                        "smsText",
                        "{{firstName}} {{lastName}}",
                        "sampleCustomerId",
                        customer))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(201);
        assertThat(form(PROVIDERS
                        .findAll(postRequestedFor(urlEqualTo(TWILIO_SEND)))
                        .get(0)))
                .containsEntry("To", "+12125550148")
                .containsEntry("Body", "Ann Lee");
    }

    @Test
    void onlyAnAdministratorSetsTheAddressesAnAnalystTestSendsTo() {
        String analyst = "ana-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "analyst-password-" + analyst;
        User user = identityService.newUser(analyst);
        user.setFirstName("Ana");
        user.setLastName("Lyst");
        user.setPassword(password);
        identityService.saveUser(user);
        identityService.createMembership(analyst, LoyalflowGroups.ANALYST);
        sendGridAccepts("sg-verified");
        twilioAccepts("SM" + "6".repeat(32));

        // no verified address yet: nowhere to send to
        asUser(analyst, password)
                .body(Map.of("channel", "email", "to", "ana@example.org", "templateId", TEMPLATE))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(403)
                .body("errors[0].field", equalTo("to"))
                .body("errors[0].message", containsString("no verified e-mail address"));

        // the analyst cannot verify an address themselves: not the profile's e-mail, not the phone
        asUser(analyst, password)
                .body(profile(analyst, "Ana", "ana@example.org"))
                .put("/engine-rest/user/{id}/profile", analyst)
                .then()
                .statusCode(403);
        assertThat(identityService
                        .createUserQuery()
                        .userId(analyst)
                        .singleResult()
                        .getEmail())
                .isNull();
        asUser(analyst, password)
                .body(profile(analyst, "Anna", null))
                .put("/engine-rest/user/{id}/profile", analyst)
                .then()
                .statusCode(204);
        asUser(analyst, password)
                .body(Map.of("phone", "+12125550149"))
                .put("/api/users/{id}/phone", analyst)
                .then()
                .statusCode(403);
        as(SERVICE)
                .body(Map.of("phone", "+12125550149"))
                .put("/api/users/{id}/phone", analyst)
                .then()
                .statusCode(403);

        // an administrator does, in Camunda Admin (the profile) and through the API (the phone)
        as(ADMIN)
                .body(profile(analyst, "Anna", "Ana@Example.org"))
                .put("/engine-rest/user/{id}/profile", analyst)
                .then()
                .statusCode(204);
        as(ADMIN)
                .body(Map.of("phone", "not a phone"))
                .put("/api/users/{id}/phone", analyst)
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("phone"));
        as(ADMIN)
                .body(Map.of("phone", "+1 212 555 0149"))
                .put("/api/users/{id}/phone", analyst)
                .then()
                .statusCode(200)
                .body("phone", equalTo("+12125550149"))
                .body("email", equalTo("ana@example.org"));
        as(ADMIN)
                .body(Map.of("phone", "+12125550149"))
                .put("/api/users/{id}/phone", "no-such-user-" + analyst)
                .then()
                .statusCode(404);

        asUser(analyst, password)
                .body(Map.of("channel", "email", "to", "ana@example.org", "templateId", TEMPLATE))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(201);
        asUser(analyst, password)
                .body(Map.of("channel", "sms", "to", "(212) 555-0149", "smsText", "Hello"))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(201);
        asUser(analyst, password)
                .body(Map.of("channel", "sms", "to", ANALYST.phone, "smsText", "Hello"))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(403)
                .body("errors[0].field", equalTo("to"));
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(twilioRequests()).isEqualTo(1);

        as(ADMIN).delete("/api/users/{id}/phone", analyst).then().statusCode(204);
        asUser(analyst, password)
                .body(Map.of("channel", "sms", "to", "+12125550149", "smsText", "Hello"))
                .post("/api/messaging/test-sends")
                .then()
                .statusCode(403);
    }

    private io.restassured.specification.RequestSpecification asUser(String user, String password) {
        return RestAssured.given()
                .port(port)
                .contentType(io.restassured.http.ContentType.JSON)
                .auth()
                .preemptive()
                .basic(user, password);
    }

    private static Map<String, Object> profile(String id, String firstName, String email) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("id", id);
        profile.put("firstName", firstName);
        profile.put("lastName", "Lyst");
        profile.put("email", email);
        return profile;
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return form;
    }
}
