package io.loyalflow.customer;

import io.loyalflow.platform.db.IdLookup;
import io.loyalflow.platform.db.Timestamps;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Customers and consents in Loyalflow's own tables (portable SQL for PostgreSQL and H2). */
@Repository
class CustomerRepository {

    private static final String COLUMNS = "customer_key, customer_id, email, phone, first_name, last_name, locale, "
            + "time_zone, phone_time_zone, attributes, origin, version, created_at, updated_at";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final IdLookup ids;

    CustomerRepository(JdbcClient jdbc, JdbcTemplate template, IdLookup ids) {
        this.jdbc = jdbc;
        this.template = template;
        this.ids = ids;
    }

    Optional<Customer> find(String customerId) {
        return load("select " + COLUMNS + " from customer where customer_id = ?", customerId);
    }

    /** Reads and locks the customer's row until the transaction ends. */
    Optional<Customer> findForUpdate(String customerId) {
        return load("select " + COLUMNS + " from customer where customer_id = ? for update", customerId);
    }

    private Optional<Customer> load(String sql, String customerId) {
        return jdbc.sql(sql)
                .param(customerId)
                .query(this::customerWithoutConsents)
                .optional()
                .map(customer -> withConsents(customer, consentsOf(customer.key())));
    }

    long insert(String customerId, Customer.Profile profile, CustomerOrigin origin, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("insert into customer (customer_id, email, phone, first_name, last_name, locale, time_zone, "
                        + "phone_time_zone, attributes, origin, version, created_at, updated_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)")
                .params(
                        customerId,
                        profile.email(),
                        profile.phone(),
                        profile.firstName(),
                        profile.lastName(),
                        profile.locale(),
                        profile.timeZone(),
                        profile.phoneTimeZone(),
                        profile.attributes(),
                        origin.name(),
                        utc(now),
                        utc(now))
                .update(keys, "customer_key");
        return keys.getKeyAs(Number.class).longValue();
    }

    void update(long key, Customer.Profile profile, long version, Instant now) {
        jdbc.sql("update customer set email = ?, phone = ?, first_name = ?, last_name = ?, locale = ?, time_zone = ?, "
                        + "phone_time_zone = ?, attributes = ?, version = ?, updated_at = ? where customer_key = ?")
                .params(
                        profile.email(),
                        profile.phone(),
                        profile.firstName(),
                        profile.lastName(),
                        profile.locale(),
                        profile.timeZone(),
                        profile.phoneTimeZone(),
                        profile.attributes(),
                        version,
                        utc(now),
                        key)
                .update();
    }

    void touch(long key, long version, Instant now) {
        jdbc.sql("update customer set version = ?, updated_at = ? where customer_key = ?")
                .params(version, utc(now), key)
                .update();
    }

    Map<ConsentTopic, Customer.Consent> consentsOf(long key) {
        Map<ConsentTopic, Customer.Consent> consents = new EnumMap<>(ConsentTopic.class);
        jdbc.sql("select channel, status, source, stated_at, recorded_at from customer_consent where customer_key = ?")
                .param(key)
                .query(rs -> {
                    consents.put(
                            ConsentTopic.fromKey(rs.getString("channel")),
                            new Customer.Consent(
                                    ConsentStatus.valueOf(rs.getString("status")), rs.getString("source"),
                                    instant(rs, "stated_at"), instant(rs, "recorded_at")));
                });
        return consents;
    }

    void saveConsent(long key, ConsentTopic topic, Customer.Consent consent, boolean exists) {
        String sql = exists
                ? "update customer_consent set status = ?, source = ?, stated_at = ?, recorded_at = ? "
                        + "where customer_key = ? and channel = ?"
                : "insert into customer_consent (status, source, stated_at, recorded_at, customer_key, channel) "
                        + "values (?, ?, ?, ?, ?, ?)";
        jdbc.sql(sql)
                .params(
                        consent.status().name(),
                        consent.source(),
                        utc(consent.statedAt()),
                        utc(consent.recordedAt()),
                        key,
                        topic.key())
                .update();
    }

    void recordConsentEvent(long key, ConsentTopic topic, Customer.Consent statement, boolean applied) {
        jdbc.sql("insert into customer_consent_event (customer_key, channel, status, source, stated_at, recorded_at, "
                        + "applied) values (?, ?, ?, ?, ?, ?, ?)")
                .params(
                        key,
                        topic.key(),
                        statement.status().name(),
                        statement.source(),
                        utc(statement.statedAt()),
                        utc(statement.recordedAt()),
                        applied)
                .update();
    }

    /** Customers (not erased) with this address; e-mail compared case-insensitively. */
    List<String> customerIdsByAddress(Channel channel, String address) {
        String sql = channel == Channel.EMAIL
                ? "select customer_id from customer where lower(email) = lower(?) and customer_id is not null"
                : "select customer_id from customer where phone = ? and customer_id is not null";
        return jdbc.sql(sql).param(address).query(String.class).list();
    }

    Optional<String> customerIdOf(long key) {
        return jdbc.sql("select customer_id from customer where customer_key = ? and customer_id is not null")
                .param(key)
                .query(String.class)
                .optional();
    }

    /** Keys of the given customers that exist. */
    Map<String, Long> keysOf(Collection<String> customerIds) {
        Map<String, Long> keys = new HashMap<>();
        if (customerIds.isEmpty()) {
            return keys;
        }
        ids.forEach("customer", "customer_id", "customer_key", customerIds, rs -> {
            keys.put(rs.getString(1), rs.getLong(2));
        });
        return keys;
    }

    /** Creates bare customers (no personal data yet) for ids the caller checked are absent. */
    void insertBare(Collection<String> customerIds, CustomerOrigin origin, String timeZone, Instant now) {
        OffsetDateTime at = utc(now);
        List<Object[]> rows = new ArrayList<>(customerIds.size());
        for (String id : customerIds) {
            rows.add(new Object[] {id, timeZone, origin.name(), at, at});
        }
        template.batchUpdate(
                "insert into customer (customer_id, time_zone, origin, version, created_at, updated_at) "
                        + "values (?, ?, ?, 1, ?, ?)",
                rows);
    }

    /**
     * Erases the customer's personal data: contact data, names, attributes, consents and referral
     * statistics go; the row stays, without its external id, so the orders that reference it keep
     * every aggregate intact. The id is remembered only as a hash, so that referral statements cannot
     * bring the customer back ({@link #wasErased}).
     */
    void erase(long key, String customerId, Instant now) {
        jdbc.sql("delete from customer_consent_event where customer_key = ?")
                .param(key)
                .update();
        jdbc.sql("delete from customer_consent where customer_key = ?")
                .param(key)
                .update();
        jdbc.sql("delete from customer_referral where customer_key = ?")
                .param(key)
                .update();
        String idHash = idHash(customerId);
        if (jdbc.sql("update erased_customer_id set erased_at = ? where id_hash = ?")
                        .params(utc(now), idHash)
                        .update()
                == 0) {
            jdbc.sql("insert into erased_customer_id (id_hash, erased_at) values (?, ?)")
                    .params(idHash, utc(now))
                    .update();
        }
        jdbc.sql("update customer set customer_id = null, email = null, phone = null, first_name = null, "
                        + "last_name = null, locale = null, time_zone = null, phone_time_zone = null, attributes = null, "
                        + "version = version + 1, updated_at = ?, erased_at = ? where customer_key = ?")
                .params(utc(now), utc(now), key)
                .update();
    }

    /** Whether a customer with this id was erased (whether or not the id has started a new customer since). */
    boolean wasErased(String customerId) {
        return jdbc.sql("select count(*) from erased_customer_id where id_hash = ?")
                        .param(idHash(customerId))
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** The key of the customer, locking their row until the transaction ends. */
    Optional<Long> lockKey(String customerId) {
        return jdbc.sql("select customer_key from customer where customer_id = ? for update")
                .param(customerId)
                .query(Long.class)
                .optional();
    }

    Optional<CustomerView.ReferralView> referralOf(long key) {
        return jdbc.sql("select activity, successful_referrals, share_url, extended_revenue, stated_at, updated_at "
                        + "from customer_referral where customer_key = ?")
                .param(key)
                .query((rs, row) -> new CustomerView.ReferralView(
                        ReferralActivity.valueOf(rs.getString("activity")),
                        rs.getInt("successful_referrals"),
                        rs.getString("share_url"),
                        amount(rs.getBigDecimal("extended_revenue")),
                        instant(rs, "stated_at"),
                        instant(rs, "updated_at")))
                .optional();
    }

    void saveReferral(long key, Referral referral, boolean exists, Instant now) {
        String sql = exists
                ? "update customer_referral set activity = ?, successful_referrals = ?, share_url = ?, extended_revenue = ?, "
                        + "stated_at = ?, updated_at = ? where customer_key = ?"
                : "insert into customer_referral (activity, successful_referrals, share_url, extended_revenue, stated_at, "
                        + "updated_at, customer_key) values (?, ?, ?, ?, ?, ?, ?)";
        jdbc.sql(sql)
                .params(
                        referral.activity().name(),
                        referral.successfulReferrals(),
                        referral.shareUrl(),
                        referral.extendedRevenue(),
                        utc(referral.statedAt()),
                        utc(now),
                        key)
                .update();
    }

    /** A stored amount without the trailing zeros of its column's scale: 1200.5000 reads 1200.5, 1200.0000 reads 1200. */
    static BigDecimal amount(BigDecimal stored) {
        if (stored == null) {
            return null;
        }
        BigDecimal stripped = stored.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    static String idHash(String customerId) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256").digest(customerId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private Customer customerWithoutConsents(ResultSet rs, int row) throws SQLException {
        return new Customer(
                rs.getLong("customer_key"),
                rs.getString("customer_id"),
                rs.getString("email"),
                rs.getString("phone"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                rs.getString("locale"),
                rs.getString("time_zone"),
                rs.getString("phone_time_zone"),
                rs.getString("attributes"),
                CustomerOrigin.valueOf(rs.getString("origin")),
                rs.getLong("version"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                Map.of());
    }

    private static Customer withConsents(Customer c, Map<ConsentTopic, Customer.Consent> consents) {
        return new Customer(
                c.key(),
                c.customerId(),
                c.email(),
                c.phone(),
                c.firstName(),
                c.lastName(),
                c.locale(),
                c.timeZone(),
                c.phoneTimeZone(),
                c.attributes(),
                c.origin(),
                c.version(),
                c.createdAt(),
                c.updatedAt(),
                consents);
    }

    static OffsetDateTime utc(Instant instant) {
        return Timestamps.utc(instant);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Timestamps.instant(rs, column);
    }
}
