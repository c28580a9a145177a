package io.loyalflow.customer;

import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.loyalflow.testsupport.DatabaseTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class CustomerApiTest extends DatabaseTest {

    @Autowired
    JdbcClient jdbc;

    private static String newId() {
        return "c-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static Map<String, Object> profile() {
        return Map.of(
                "email", "Ann.Lee@Example.COM",
                "phone", "06 12 34 56 78",
                "firstName", "Ann",
                "lastName", "Lee",
                "locale", "fr-FR",
                "timeZone", "Europe/Paris",
                "attributes", Map.of("vip", true, "shoeSize", 38),
                "consents",
                        Map.of(
                                "email",
                                Map.of(
                                        "status",
                                        "OPTED_IN",
                                        "source",
                                        "checkout",
                                        "statedAt",
                                        "2026-01-10T09:00:00Z")));
    }

    @Test
    void createsAProfileThenReadsItBackNormalised() {
        String id = newId();
        clock.set(Instant.parse("2026-02-01T10:00:00Z"));
        as(SERVICE)
                .body(profile())
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201)
                .header("ETag", "\"1\"")
                .body("customerId", equalTo(id))
                .body("email", equalTo("Ann.Lee@example.com"))
                .body("phone", equalTo("+33612345678"))
                .body("locale", equalTo("fr-FR"))
                .body("timeZone", equalTo("Europe/Paris"))
                .body("attributes.shoeSize", equalTo(38))
                .body("consents.email.status", equalTo("OPTED_IN"))
                .body("consents.email.source", equalTo("checkout"))
                .body("consents.email.statedAt", equalTo("2026-01-10T09:00:00Z"))
                .body("origin", equalTo("PROFILE"));

        as(SERVICE)
                .get("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("firstName", equalTo("Ann"))
                .body("createdAt", equalTo("2026-02-01T10:00:00Z"))
                .body("features.orders", equalTo(0))
                .body("features.totalSpend", equalTo(0.0f))
                .body("features.usualPurchaseHour", nullValue());
    }

    @Test
    void theSameProfileAgainChangesNothing() {
        String id = newId();
        as(SERVICE).body(profile()).put("/api/customers/{id}", id).then().statusCode(201);
        as(SERVICE)
                .body(profile())
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("version", equalTo(1));
    }

    @Test
    void replacingTheProfileClearsFieldsLeftOutButKeepsConsents() {
        String id = newId();
        as(SERVICE).body(profile()).put("/api/customers/{id}", id).then().statusCode(201);
        as(SERVICE)
                .body(Map.of("email", "ann@example.org"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .body("email", equalTo("ann@example.org"))
                .body("phone", nullValue())
                .body("firstName", nullValue())
                .body("attributes", nullValue())
                .body("consents.email.status", equalTo("OPTED_IN"));
    }

    @Test
    void aNewerConsentStatementReplacesTheOldOneAndAnOlderOneIsOnlyAudited() {
        String id = newId();
        as(SERVICE).body(profile()).put("/api/customers/{id}", id).then().statusCode(201);
        as(SERVICE)
                .body(Map.of(
                        "consents",
                        Map.of(
                                "email",
                                Map.of(
                                        "status",
                                        "OPTED_OUT",
                                        "source",
                                        "unsubscribe-link",
                                        "statedAt",
                                        "2026-01-12T08:00:00Z"))))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .body("consents.email.status", equalTo("OPTED_OUT"))
                .body("consents.email.source", equalTo("unsubscribe-link"));

        // An opt-in the CRM recorded before the opt-out, delivered late: it must not win.
        as(SERVICE)
                .body(Map.of(
                        "consents",
                        Map.of(
                                "email",
                                Map.of("status", "OPTED_IN", "source", "crm", "statedAt", "2026-01-11T08:00:00Z"))))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .body("consents.email.status", equalTo("OPTED_OUT"));

        long key = jdbc.sql("select customer_key from customer where customer_id = ?")
                .param(id)
                .query(Long.class)
                .single();
        var audit = jdbc.sql("select source, status, applied from customer_consent_event where customer_key = ? "
                        + "order by event_key")
                .param(key)
                .query()
                .listOfRows();
        assertThat(audit)
                .extracting(row -> row.get("source") + ":" + row.get("status") + ":" + row.get("applied"))
                .containsExactly("checkout:OPTED_IN:true", "unsubscribe-link:OPTED_OUT:true", "crm:OPTED_IN:false");
    }

    @Test
    void smsConsentIsKeptPerChannel() {
        String id = newId();
        as(SERVICE)
                .body(Map.of(
                        "phone",
                        "+1 415 555 2671",
                        "consents",
                        Map.of("sms", Map.of("status", "OPTED_IN", "source", "pos"))))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201)
                .body("phone", equalTo("+14155552671"))
                .body("consents.sms.status", equalTo("OPTED_IN"))
                .body("consents.sms.statedAt", notNullValue())
                .body("consents.email", nullValue())
                // no zone in the profile: the phone number's (San Francisco) applies
                .body("timeZone", nullValue())
                .body("effectiveTimeZone", equalTo("America/Los_Angeles"));
    }

    private static Map<String, Object> adsStatement(String status, String source, String statedAt) {
        return Map.of("consents", Map.of("ads", Map.of("status", status, "source", source, "statedAt", statedAt)));
    }

    private long keyOf(String customerId) {
        return jdbc.sql("select customer_key from customer where customer_id = ?")
                .param(customerId)
                .query(Long.class)
                .single();
    }

    @Test
    void adsConsentIsShownAuditedAndAnnouncedOnlyWhenItChanges() {
        String id = newId();
        clock.set(Instant.parse("2026-02-01T10:00:00Z"));
        as(SERVICE).body(profile()).put("/api/customers/{id}", id).then().statusCode(201);
        long key = keyOf(id);
        assertThat(durableEvents.published(AdsConsentChanged.class)).isEmpty();

        as(SERVICE)
                .body(adsStatement("OPTED_IN", "preference-center", "2026-01-20T09:00:00Z"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"");
        as(SERVICE)
                .get("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .body("consents.ads.status", equalTo("OPTED_IN"))
                .body("consents.ads.source", equalTo("preference-center"))
                .body("consents.ads.statedAt", equalTo("2026-01-20T09:00:00Z"))
                .body("consents.ads.recordedAt", equalTo("2026-02-01T10:00:00Z"))
                // the channels' consents are their own: ads consent gives none
                .body("consents.email.status", equalTo("OPTED_IN"))
                .body("consents.sms", nullValue());
        assertThat(durableEvents.published(AdsConsentChanged.class))
                .containsExactly(
                        new AdsConsentChanged(key, ConsentStatus.OPTED_IN, Instant.parse("2026-02-01T10:00:00Z")));

        // the same status again, stated later: nothing changes, nothing is announced
        clock.set(Instant.parse("2026-02-02T10:00:00Z"));
        as(SERVICE)
                .body(adsStatement("OPTED_IN", "crm", "2026-02-02T09:00:00Z"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .body("consents.ads.source", equalTo("preference-center"));
        assertThat(durableEvents.published(AdsConsentChanged.class)).hasSize(1);

        clock.set(Instant.parse("2026-02-03T10:00:00Z"));
        as(SERVICE)
                .body(adsStatement("OPTED_OUT", "preference-center", "2026-02-03T09:00:00Z"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .body("consents.ads.status", equalTo("OPTED_OUT"));
        assertThat(durableEvents.published(AdsConsentChanged.class))
                .containsExactly(
                        new AdsConsentChanged(key, ConsentStatus.OPTED_IN, Instant.parse("2026-02-01T10:00:00Z")),
                        new AdsConsentChanged(key, ConsentStatus.OPTED_OUT, Instant.parse("2026-02-03T10:00:00Z")));

        // an opt-in stated before the opt-out, delivered late: audited, but it does not win
        clock.set(Instant.parse("2026-02-04T10:00:00Z"));
        as(SERVICE)
                .body(adsStatement("OPTED_IN", "crm", "2026-02-01T12:00:00Z"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .body("consents.ads.status", equalTo("OPTED_OUT"));
        assertThat(durableEvents.published(AdsConsentChanged.class)).hasSize(2);

        var audit = jdbc.sql("select channel, source, status, applied from customer_consent_event "
                        + "where customer_key = ? and channel = 'ads' order by event_key")
                .param(key)
                .query()
                .listOfRows();
        assertThat(audit)
                .extracting(row -> row.get("source") + ":" + row.get("status") + ":" + row.get("applied"))
                .containsExactly(
                        "preference-center:OPTED_IN:true", "preference-center:OPTED_OUT:true", "crm:OPTED_IN:false");
    }

    @Test
    void adsConsentCanBeStatedWithTheProfileThatCreatesTheCustomer() {
        String id = newId();
        clock.set(Instant.parse("2026-02-01T10:00:00Z"));
        as(SERVICE)
                .body(Map.of(
                        "email",
                        "ann@example.com",
                        "consents",
                        Map.of("ads", Map.of("status", "OPTED_OUT", "source", "signup"))))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201)
                .body("consents.ads.status", equalTo("OPTED_OUT"))
                .body("consents.ads.statedAt", equalTo("2026-02-01T10:00:00Z"))
                .body("consents.email", nullValue());
        assertThat(durableEvents.published(AdsConsentChanged.class))
                .containsExactly(new AdsConsentChanged(
                        keyOf(id), ConsentStatus.OPTED_OUT, Instant.parse("2026-02-01T10:00:00Z")));
    }

    @Test
    void badAdsStatementsAreRefusedNamingTheFieldAndChangeNothing() {
        String id = newId();
        clock.set(Instant.parse("2026-02-01T10:00:00Z"));
        as(SERVICE).body(profile()).put("/api/customers/{id}", id).then().statusCode(201);

        as(SERVICE)
                .body(Map.of("consents", Map.of("ads", Map.of("status", "MAYBE", "source", "crm"))))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("consents.ads.status"))
                .body("errors[0].message", containsString("OPTED_IN"));
        as(SERVICE)
                .body(Map.of("consents", Map.of("ads", Map.of("source", "crm"))))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("consents.ads.status"));
        as(SERVICE)
                .body(Map.of("consents", Map.of("ads", Map.of("status", "OPTED_IN", "source", " "))))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("consents.ads.source"));
        as(SERVICE)
                .body(adsStatement("OPTED_IN", "crm", "2026-02-02T10:00:00Z"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("consents.ads.statedAt"))
                .body("errors[0].message", containsString("future"));

        as(SERVICE)
                .get("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("consents.ads", nullValue());
        assertThat(jdbc.sql("select count(*) from customer_consent_event where customer_key = ? and channel = 'ads'")
                        .param(keyOf(id))
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(durableEvents.published(AdsConsentChanged.class)).isEmpty();
    }

    @Test
    void nationalNumbersAreReadInTheLocalesCountryOrTheDefaultRegion() {
        String id = newId();
        as(SERVICE)
                .body(Map.of("phone", "(415) 555-2671"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201)
                .body("phone", equalTo("+14155552671"));
        as(SERVICE)
                .body(Map.of("phone", "030 901820", "locale", "de-DE"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .body("phone", equalTo("+4930901820"));
    }

    @Test
    void badContactDataIsRefusedFieldByFieldAndNothingIsStored() {
        String id = newId();
        JsonPath problem = as(SERVICE)
                .body(Map.of("email", "ann@@example", "phone", "12", "timeZone", "Mars/Olympus", "locale", "xx_YY!"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:loyalflow:problem:invalid-fields"))
                .body("errors", hasSize(4))
                .extract()
                .jsonPath();
        assertThat(problem.getList("errors.field")).containsExactlyInAnyOrder("email", "phone", "timeZone", "locale");
        as(SERVICE).get("/api/customers/{id}", id).then().statusCode(404);
    }

    @Test
    void anInvalidUpdateLeavesTheStoredProfileAsItWas() {
        String id = newId();
        as(SERVICE).body(profile()).put("/api/customers/{id}", id).then().statusCode(201);
        as(SERVICE)
                .body(Map.of("email", "someone@example.com", "phone", "+999"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("phone"));
        as(SERVICE)
                .get("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .body("email", equalTo("Ann.Lee@example.com"))
                .body("version", equalTo(1));
    }

    @Test
    void unknownTimeZonesAndOffsetsAreRefused() {
        as(SERVICE)
                .body(Map.of("timeZone", "+02:00"))
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("timeZone"))
                .body("errors[0].message", containsString("IANA"));
    }

    @Test
    void consentStatementsAreValidated() {
        as(SERVICE)
                .body(Map.of("consents", Map.of("sms", Map.of("status", "MAYBE", "source", "pos"))))
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("consents.sms.status"))
                .body("errors[0].message", containsString("OPTED_IN"));
        as(SERVICE)
                .body(Map.of("consents", Map.of("email", Map.of("status", "OPTED_IN"))))
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("consents.email.source"));
        as(SERVICE)
                .body(Map.of("consents", Map.of("push", Map.of("status", "OPTED_IN", "source", "app"))))
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("consents.push"))
                .body("errors[0].message", containsString("unknown field"));
        clock.set(Instant.parse("2026-02-01T10:00:00Z"));
        as(SERVICE)
                .body(Map.of(
                        "consents",
                        Map.of(
                                "email",
                                Map.of("status", "OPTED_IN", "source", "x", "statedAt", "2026-02-02T10:00:00Z"))))
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("consents.email.statedAt"));
    }

    @Test
    void attributesMustBeAnObject() {
        as(SERVICE)
                .body(Map.of("attributes", java.util.List.of(1, 2)))
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("attributes"));
    }

    @Test
    void badCustomerIdsAreRefused() {
        as(SERVICE)
                .body(Map.of())
                .put("/api/customers/{id}", "has:colon")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("customerId"));
    }

    @Test
    void ifMatchGuardsAgainstLostUpdates() {
        String id = newId();
        as(SERVICE).body(profile()).put("/api/customers/{id}", id).then().statusCode(201);
        as(SERVICE)
                .header("If-Match", "\"1\"")
                .body(Map.of("email", "first@example.com"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"");
        as(SERVICE)
                .header("If-Match", "\"1\"")
                .body(Map.of("email", "second@example.com"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(412)
                .body("type", equalTo("urn:loyalflow:problem:precondition-failed"));
        as(SERVICE).get("/api/customers/{id}", id).then().body("email", equalTo("first@example.com"));
    }

    @Test
    void unknownCustomersAre404() {
        as(SERVICE)
                .get("/api/customers/{id}", newId())
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:loyalflow:problem:not-found"));
        as(SERVICE).delete("/api/customers/{id}", newId()).then().statusCode(404);
    }

    @Test
    void erasureRemovesPersonalDataButKeepsOrdersAndRevenue() {
        String id = newId();
        as(SERVICE).body(profile()).put("/api/customers/{id}", id).then().statusCode(201);
        as(SERVICE)
                .body(adsStatement("OPTED_IN", "preference-center", "2026-01-11T09:00:00Z"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(200)
                .body("consents.ads.status", equalTo("OPTED_IN"));
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + id,
                        "customerId",
                        id,
                        "placedAt",
                        "2026-01-05T12:00:00Z",
                        "amount",
                        40,
                        "currency",
                        "USD"))
                .post("/api/orders")
                .then()
                .statusCode(201);
        long key = jdbc.sql("select customer_key from customer where customer_id = ?")
                .param(id)
                .query(Long.class)
                .single();
        var revenueBefore = jdbc.sql("select count(*), sum(amount) from customer_order")
                .query()
                .singleRow();
        long customersBefore =
                jdbc.sql("select count(*) from customer").query(Long.class).single();

        as(SERVICE).delete("/api/customers/{id}", id).then().statusCode(204);

        as(SERVICE).get("/api/customers/{id}", id).then().statusCode(404);
        var erased = jdbc.sql("select customer_id, email, phone, first_name, last_name, attributes, erased_at "
                        + "from customer where customer_key = ?")
                .param(key)
                .query()
                .singleRow();
        assertThat(erased)
                .containsEntry("customer_id", null)
                .containsEntry("email", null)
                .containsEntry("phone", null)
                .containsEntry("first_name", null)
                .containsEntry("last_name", null)
                .containsEntry("attributes", null);
        assertThat(erased.get("erased_at")).isNotNull();
        assertThat(jdbc.sql("select count(*) from customer_consent where customer_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("select count(*) from customer_consent_event where customer_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("select count(*), sum(amount) from customer_order")
                        .query()
                        .singleRow())
                .isEqualTo(revenueBefore);
        assertThat(jdbc.sql("select count(*) from customer").query(Long.class).single())
                .isEqualTo(customersBefore);
        as(SERVICE).get("/api/orders/{id}", "o-" + id).then().statusCode(200).body("customerId", nullValue());

        // the id is free again: a new profile starts from nothing
        as(SERVICE)
                .body(Map.of("email", "new@example.com"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201)
                .body("features.orders", equalTo(0));
    }
}
