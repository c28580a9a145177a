package io.loyalflow.customer;

import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.ViewColumns;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The customer module's contract with other modules: the views they read customers through (V22) and
 * {@link CustomerQueries}. The views show what they name and nothing more: {@code v_customer} has no
 * contact data.
 */
class CustomerViewsTest extends DatabaseTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CustomerQueries queries;

    @Autowired
    TransactionTemplate transactions;

    private String customerWithEverything() {
        String id = "views-" + UUID.randomUUID().toString().substring(0, 8);
        clock.set(Instant.parse("2026-02-01T10:00:00Z"));
        as(SERVICE)
                .body(Map.of(
                        "email",
                        "Ann.Lee@Example.COM",
                        "phone",
                        "06 12 34 56 78",
                        "firstName",
                        "Ann",
                        "lastName",
                        "Lee",
                        "locale",
                        "fr-FR",
                        "timeZone",
                        "Europe/Paris",
                        "attributes",
                        Map.of("preferredChannel", "sms"),
                        "consents",
                        Map.of(
                                "email",
                                Map.of("status", "OPTED_IN", "source", "checkout", "statedAt", "2026-01-10T09:00:00Z"),
                                "sms",
                                Map.of(
                                        "status",
                                        "OPTED_OUT",
                                        "source",
                                        "checkout",
                                        "statedAt",
                                        "2026-01-10T09:00:00Z"))))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201);
        as(SERVICE)
                .body(Map.of(
                        "activity",
                        "Active",
                        "successfulReferrals",
                        3,
                        "shareUrl",
                        "https://example.com/s/ann",
                        "extendedRevenue",
                        120.5,
                        "statedAt",
                        "2026-01-20T09:00:00Z"))
                .put("/api/customers/{id}/referral", id)
                .then()
                .statusCode(201);
        return id;
    }

    @Test
    void theViewsShowTheCustomerAsStoredAndOnlyTheColumnsTheyName() {
        String id = customerWithEverything();
        long key = queries.keyOf(id).orElseThrow();

        assertThat(columns("v_customer"))
                .containsExactly("customer_key", "customer_id", "locale", "time_zone", "phone_time_zone");
        assertThat(row("select * from v_customer where customer_key = ?", key))
                .containsOnly(
                        entry("customer_key", key),
                        entry("customer_id", id),
                        entry("locale", "fr-FR"),
                        entry("time_zone", "Europe/Paris"),
                        entry("phone_time_zone", "Europe/Paris"));

        assertThat(columns("v_customer_contact"))
                .containsExactly(
                        "customer_key",
                        "customer_id",
                        "email",
                        "phone",
                        "first_name",
                        "last_name",
                        "locale",
                        "time_zone",
                        "phone_time_zone",
                        "attributes");
        Map<String, Object> contact = row("select * from v_customer_contact where customer_key = ?", key);
        assertThat(contact)
                .contains(
                        entry("email", "Ann.Lee@example.com"),
                        entry("phone", "+33612345678"),
                        entry("first_name", "Ann"),
                        entry("last_name", "Lee"));
        assertThat((String) contact.get("attributes")).contains("preferredChannel");

        assertThat(columns("v_customer_consent")).containsExactly("customer_key", "channel", "status");
        assertThat(jdbc.query(
                        "select channel, status from v_customer_consent where customer_key = ? order by channel",
                        (rs, row) -> rs.getString(1) + "=" + rs.getString(2),
                        key))
                .containsExactly("email=OPTED_IN", "sms=OPTED_OUT");

        assertThat(columns("v_customer_referral"))
                .containsExactly("customer_key", "activity", "successful_referrals", "share_url", "extended_revenue");
        Map<String, Object> referral = row("select * from v_customer_referral where customer_key = ?", key);
        assertThat(referral).contains(entry("activity", "ACTIVE"), entry("share_url", "https://example.com/s/ann"));
        assertThat(((Number) referral.get("successful_referrals")).intValue()).isEqualTo(3);
        assertThat((BigDecimal) referral.get("extended_revenue")).isEqualByComparingTo("120.5");
    }

    @Test
    void otherModulesLookCustomersUpLockThemAndReadTheirJourneyFacts() {
        String id = customerWithEverything();
        long key = queries.keyOf(id).orElseThrow();
        assertThat(queries.idOf(key)).contains(id);
        assertThat(queries.keyOf("nobody-" + id)).isEmpty();
        assertThat(queries.idOf(-1)).isEmpty();
        java.util.Optional<Long> locked = transactions.execute(tx -> queries.lockById(id));
        assertThat(locked).contains(key);
        Boolean lockedByKey = transactions.execute(tx -> queries.lockByKey(key));
        assertThat(lockedByKey).isTrue();
        Boolean lockedNobody = transactions.execute(tx -> queries.lockByKey(-1));
        assertThat(lockedNobody).isFalse();

        assertThat(queries.journeyFacts(id))
                .contains(new CustomerQueries.JourneyFacts(
                        "ann.lee@example.com", "+33612345678", true, false, "SMS", ReferralActivity.ACTIVE, 3));
        assertThat(queries.journeyFacts("nobody-" + id)).isEmpty();

        String bare = "views-bare-" + UUID.randomUUID().toString().substring(0, 8);
        as(SERVICE)
                .body(Map.of("locale", "en-US"))
                .put("/api/customers/{id}", bare)
                .then()
                .statusCode(201);
        assertThat(queries.journeyFacts(bare))
                .contains(new CustomerQueries.JourneyFacts(null, null, false, false, null, null, 0));
    }

    /**
     * Ads consent sits in the same table as the channels' consents (channel 'ads'); those who read
     * consent for sending or reachability (journey facts, segment conditions and estimates, the send
     * gate) pick their channel's row and must neither take it for a channel's consent nor count a
     * customer twice for it.
     */
    @Test
    void adsConsentIsNoConsentToSendAndCountsNoCustomerTwice() {
        String adsOnly = "views-ads-" + UUID.randomUUID().toString().substring(0, 8);
        as(SERVICE)
                .body(Map.of(
                        "email",
                        "ads.only@example.com",
                        "phone",
                        "+14155552671",
                        "consents",
                        Map.of("ads", Map.of("status", "OPTED_IN", "source", "preference-center"))))
                .put("/api/customers/{id}", adsOnly)
                .then()
                .statusCode(201);
        String adsAndEmail = "views-ads-email-" + UUID.randomUUID().toString().substring(0, 8);
        as(SERVICE)
                .body(Map.of(
                        "email",
                        "ads.and.email@example.com",
                        "consents",
                        Map.of(
                                "email",
                                Map.of("status", "OPTED_IN", "source", "checkout"),
                                "ads",
                                Map.of("status", "OPTED_IN", "source", "checkout"))))
                .put("/api/customers/{id}", adsAndEmail)
                .then()
                .statusCode(201);

        assertThat(jdbc.query(
                        "select channel, status from v_customer_consent where customer_key = ?",
                        (rs, row) -> rs.getString(1) + "=" + rs.getString(2),
                        queries.keyOf(adsOnly).orElseThrow()))
                .containsExactly("ads=OPTED_IN");
        assertThat(queries.journeyFacts(adsOnly)).hasValueSatisfying(facts -> {
            assertThat(facts.emailConsent()).isFalse();
            assertThat(facts.smsConsent()).isFalse();
        });
        assertThat(queries.journeyFacts(adsAndEmail)).hasValueSatisfying(facts -> {
            assertThat(facts.emailConsent()).isTrue();
            assertThat(facts.smsConsent()).isFalse();
        });

        // estimates read the features snapshot of the last refresh
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        Map<String, Object> both = Map.of("field", "customerId", "op", "in", "value", List.of(adsOnly, adsAndEmail));
        as(SERVICE)
                .body(Map.of("conditions", both))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200)
                .body("size", equalTo(2))
                .body("reachableByEmail", equalTo(1))
                .body("reachableBySms", equalTo(0));
        as(SERVICE)
                .body(Map.of(
                        "conditions",
                        Map.of("and", List.of(both, Map.of("field", "emailConsent", "op", "eq", "value", true)))))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200)
                .body("size", equalTo(1));
    }

    @Test
    void anErasedCustomerKeepsTheirKeyButNoIdOrContactData() {
        String id = customerWithEverything();
        long key = queries.keyOf(id).orElseThrow();
        as(SERVICE).delete("/api/customers/{id}", id).then().statusCode(204);
        assertThat(row("select * from v_customer where customer_key = ?", key)).containsEntry("customer_id", null);
        Map<String, Object> contact = row("select * from v_customer_contact where customer_key = ?", key);
        assertThat(contact)
                .containsEntry("email", null)
                .containsEntry("phone", null)
                .containsEntry("first_name", null);
        assertThat(jdbc.queryForList("select * from v_customer_referral where customer_key = ?", key))
                .isEmpty();
        assertThat(queries.idOf(key)).isEmpty();
        assertThat(queries.journeyFacts(id)).isEmpty();
    }

    private List<String> columns(String view) {
        return ViewColumns.of(jdbc, view);
    }

    private Map<String, Object> row(String sql, Object... params) {
        Map<String, Object> row = new LinkedHashMap<>();
        jdbc.queryForMap(sql, params)
                .forEach((column, value) -> row.put(
                        column.toLowerCase(Locale.ROOT),
                        value instanceof Number number
                                        && column.toLowerCase(Locale.ROOT).endsWith("_key")
                                ? number.longValue()
                                : value));
        return row;
    }
}
