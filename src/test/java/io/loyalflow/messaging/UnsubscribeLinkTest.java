package io.loyalflow.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_ID;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.Channel;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The signed unsubscribe link in every message: GET only asks, POST (one-click) opts out, idempotent, tamper-proof. */
class UnsubscribeLinkTest extends MessagingIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private Outbox outbox;

    @BeforeEach
    void setTime() {
        clock.set(Instant.parse("2026-06-01T14:00:00Z"));
    }

    @Test
    void theLinkInTheEmailIsOursAndSignedForTheCustomerAndChannel() throws Exception {
        String customer = newCustomer("Link.Owner@Example.com", "+12125550111", "America/New_York", true, true);

        String url = emailedUnsubscribeUrl(customer);

        assertThat(url)
                .isEqualTo(outbox.unsubscribeUrl(customerKey(customer), Channel.EMAIL))
                .matches("https://loyalflow\\.example\\.com/unsubscribe/[A-Za-z0-9_-]{40}");
        assertThat(outbox.unsubscribeUrl(customerKey(customer), Channel.SMS)).isNotEqualTo(url);
    }

    @Test
    void getOnlyShowsAConfirmationForm() throws Exception {
        String customer = newCustomer("get-only@example.com", null, null, true, false);
        String path = path(emailedUnsubscribeUrl(customer));

        Response page = RestAssured.given().port(port).get(path);

        page.then().statusCode(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.asString())
                .contains("<form method=\"post\">")
                .contains("<button type=\"submit\">Unsubscribe")
                .contains("e-mails");
        assertThat(consent(customer, "email")).isEqualTo("OPTED_IN");
        assertThat(suppressions("email", "get-only@example.com")).isEmpty();
        assertThat(optOutEvents(customer, "email")).isZero();
    }

    @Test
    void oneClickPostOptsOutOfEmailAndSuppressesTheAddressOnce() throws Exception {
        String customer = newCustomer("One.Click@Example.com", "+12125550112", null, true, true);
        String path = path(emailedUnsubscribeUrl(customer));
        clock.advance(Duration.ofMinutes(5));

        Response first = oneClick(path);

        first.then().statusCode(200);
        assertThat(first.contentType()).startsWith("text/html");
        assertThat(first.asString()).contains("You are unsubscribed");
        assertThat(consent(customer, "email")).isEqualTo("OPTED_OUT");
        assertThat(consent(customer, "sms")).isEqualTo("OPTED_IN");
        assertThat(suppressions("email", "one.click@example.com"))
                .singleElement()
                .satisfies(row -> assertThat(row).containsEntry("reason", "UNSUBSCRIBED"));
        assertThat(suppressions("sms", "+12125550112")).isEmpty();
        assertThat(optOutEvents(customer, "email")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(5));
        oneClick(path).then().statusCode(200);

        assertThat(consent(customer, "email")).isEqualTo("OPTED_OUT");
        assertThat(suppressions("email", "one.click@example.com")).hasSize(1);
        assertThat(optOutEvents(customer, "email")).isEqualTo(1);
    }

    @Test
    void aLaterEmailStepToTheUnsubscribedCustomerIsSkipped() throws Exception {
        String customer = newCustomer("later@example.com", null, null, true, false);
        oneClick(path(emailedUnsubscribeUrl(customer))).then().statusCode(200);
        int sendsBefore = sendGridRequests();

        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());
        runDueJobs(journey.getId());

        assertThat(ended(journey.getId())).isTrue();
        assertThat(sendGridRequests()).isEqualTo(sendsBefore);
        assertThat(deliveriesOf(journey.getId()))
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsEntry("status", "SKIPPED")
                        .containsEntry("gate_decision", "SUPPRESSED"));
    }

    @Test
    void aTamperedTokenIsNotFoundAndChangesNothing() throws Exception {
        String customer = newCustomer("tamper@example.com", null, null, true, false);
        String token = emailedUnsubscribeUrl(customer).substring((PUBLIC_BASE + "/unsubscribe/").length());
        char last = token.charAt(token.length() - 1);
        char first = token.charAt(0);
        List<String> tampered = List.of(
                token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'),
                (first == 'A' ? 'B' : 'A') + token.substring(1),
                token.substring(0, 20) + (token.charAt(20) == 'x' ? 'y' : 'x') + token.substring(21),
                token.substring(0, token.length() - 1),
                token + "A",
                token + "=");

        for (String bad : tampered) {
            Response get = RestAssured.given().port(port).get("/unsubscribe/" + bad);
            get.then().statusCode(404);
            assertThat(get.asString()).contains("This link is not valid");
            oneClick("/unsubscribe/" + bad).then().statusCode(404);
        }

        assertThat(consent(customer, "email")).isEqualTo("OPTED_IN");
        assertThat(suppressions("email", "tamper@example.com")).isEmpty();
        assertThat(optOutEvents(customer, "email")).isZero();
    }

    @Test
    void theSmsTokenOptsOutOfSmsOnly() {
        String customer = newCustomer("sms-link@example.com", "+12125550113", null, true, true);
        String path = path(outbox.unsubscribeUrl(customerKey(customer), Channel.SMS));

        RestAssured.given().port(port).get(path).then().statusCode(200);
        assertThat(consent(customer, "sms")).isEqualTo("OPTED_IN");
        Response done = oneClick(path);

        done.then().statusCode(200);
        assertThat(done.asString()).contains("text messages");
        assertThat(consent(customer, "sms")).isEqualTo("OPTED_OUT");
        assertThat(consent(customer, "email")).isEqualTo("OPTED_IN");
        assertThat(suppressions("sms", "+12125550113"))
                .singleElement()
                .satisfies(row -> assertThat(row).containsEntry("reason", "UNSUBSCRIBED"));
        assertThat(suppressions("email", "sms-link@example.com")).isEmpty();
        assertThat(optOutEvents(customer, "sms")).isEqualTo(1);
        assertThat(optOutEvents(customer, "email")).isZero();
    }

    @Test
    void aTokenOfAnotherCustomerOnlyAffectsThatCustomer() {
        String owner = newCustomer("owner@example.com", null, null, true, false);
        String bystander = newCustomer("bystander@example.com", null, null, true, false);

        oneClick(path(outbox.unsubscribeUrl(customerKey(owner), Channel.EMAIL)))
                .then()
                .statusCode(200);

        assertThat(consent(owner, "email")).isEqualTo("OPTED_OUT");
        assertThat(consent(bystander, "email")).isEqualTo("OPTED_IN");
        assertThat(suppressions("email", "bystander@example.com")).isEmpty();
    }

    // ---- helpers

    /** Sends the journey's e-mail and reads the unsubscribe link out of the request SendGrid got. */
    private String emailedUnsubscribeUrl(String customer) throws Exception {
        sendGridAccepts("sg-unsubscribe");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());
        runDueJobs(journey.getId());
        String deliveryId = (String) variable(journey.getId(), DELIVERY_ID.name());
        JsonNode sent = null;
        for (var request : PROVIDERS.findAll(postRequestedFor(urlEqualTo(SENDGRID_SEND)))) {
            JsonNode body = JSON.readTree(request.getBodyAsString());
            if (deliveryId.equals(body.path("personalizations")
                    .path(0)
                    .path("custom_args")
                    .path("loyalflow_delivery_id")
                    .asText())) {
                sent = body;
            }
        }
        assertThat(sent).as("the SendGrid request of delivery %s", deliveryId).isNotNull();
        String url = sent.path("personalizations")
                .path(0)
                .path("dynamic_template_data")
                .path("unsubscribe_url")
                .asText();
        assertThat(sent.path("headers").path("List-Unsubscribe").asText()).isEqualTo("<" + url + ">");
        assertThat(sent.path("headers").path("List-Unsubscribe-Post").asText()).isEqualTo("List-Unsubscribe=One-Click");
        return url;
    }

    private static String path(String url) {
        assertThat(url).startsWith(PUBLIC_BASE + "/unsubscribe/");
        return url.substring(PUBLIC_BASE.length());
    }

    /** The RFC 8058 request a mail provider sends: no credentials, no cookies. */
    private Response oneClick(String path) {
        return RestAssured.given()
                .port(port)
                .contentType("application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .post(path);
    }

    private long customerKey(String customer) {
        return jdbc.queryForObject("select customer_key from customer where customer_id = ?", Long.class, customer);
    }

    private String consent(String customer, String channel) {
        return as(SERVICE)
                .get("/api/customers/{id}", customer)
                .then()
                .statusCode(200)
                .extract()
                .path("consents." + channel + ".status");
    }

    private List<Map<String, Object>> suppressions(String channel, String address) {
        return jdbc.queryForList("select * from suppression where channel = ? and address = ?", channel, address);
    }

    private int optOutEvents(String customer, String channel) {
        return jdbc.queryForObject(
                "select count(*) from customer_consent_event e join customer c "
                        + "on c.customer_key = e.customer_key where c.customer_id = ? and e.channel = ? and e.status = 'OPTED_OUT'",
                Integer.class,
                customer,
                channel);
    }
}
