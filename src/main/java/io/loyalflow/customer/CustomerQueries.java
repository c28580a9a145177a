package io.loyalflow.customer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.platform.db.Database;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * What other modules ask about one customer at a time: keys by id and back, the row lock that
 * serialises work on a customer, and the facts a journey's decisions read. Set-based readers use the
 * customer module's views instead (V22).
 */
@Service
public class CustomerQueries {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final Database database;

    CustomerQueries(JdbcTemplate jdbc, Database database) {
        this.jdbc = jdbc;
        this.database = database;
    }

    /** The internal key of the customer with this external id. */
    public Optional<Long> keyOf(String customerId) {
        return first(
                jdbc.queryForList("select customer_key from customer where customer_id = ?", Long.class, customerId));
    }

    /** The external id of a customer, empty when erased (or unknown). */
    public Optional<String> idOf(long customerKey) {
        return first(jdbc.queryForList(
                "select customer_id from customer where customer_key = ? " + "and customer_id is not null",
                String.class,
                customerKey));
    }

    /**
     * The key of the customer with this id, locking their row until the transaction ends: work on one
     * customer that must not interleave (orders, customer events, waits) takes this lock first.
     */
    public Optional<Long> lockById(String customerId) {
        return first(jdbc.queryForList(
                "select customer_key from customer where customer_id = ? " + database.lockForWriting(),
                Long.class,
                customerId));
    }

    /** Locks the customer's row until the transaction ends, as {@link #lockById}; false when no such customer. */
    public boolean lockByKey(long customerKey) {
        return !jdbc.queryForList(
                        "select customer_key from customer where customer_key = ? " + database.lockForWriting(),
                        Long.class,
                        customerKey)
                .isEmpty();
    }

    /**
     * What a journey's decisions read about a customer, fresh: addresses, consents, the preferred channel
     * attribute and referral statistics. Empty when there is no such customer (erased).
     *
     * @param emailAddress the e-mail address as suppressions list it (lower-cased), null without one
     * @param phone the phone number (E.164), null without one
     * @param preferredChannel the profile attribute {@code preferredChannel}, EMAIL or SMS, else null
     * @param referralActivity null without referral data
     * @param successfulReferrals 0 without referral data
     */
    public record JourneyFacts(
            String emailAddress,
            String phone,
            boolean emailConsent,
            boolean smsConsent,
            String preferredChannel,
            ReferralActivity referralActivity,
            int successfulReferrals) {}

    public Optional<JourneyFacts> journeyFacts(String customerId) {
        return first(jdbc.query(
                "select lower(c.email) email_address, c.phone, c.attributes, "
                        + "coalesce(ce.status = 'OPTED_IN', false) email_consent, coalesce(cs.status = 'OPTED_IN', false) sms_consent, "
                        + "r.activity, r.successful_referrals from customer c "
                        + "left join customer_consent ce on ce.customer_key = c.customer_key and ce.channel = 'email' "
                        + "left join customer_consent cs on cs.customer_key = c.customer_key and cs.channel = 'sms' "
                        + "left join customer_referral r on r.customer_key = c.customer_key where c.customer_id = ?",
                (rs, row) -> {
                    String activity = rs.getString("activity");
                    int referrals = rs.getInt("successful_referrals");
                    boolean noReferrals = rs.wasNull();
                    return new JourneyFacts(
                            rs.getString("email_address"),
                            rs.getString("phone"),
                            rs.getBoolean("email_consent"),
                            rs.getBoolean("sms_consent"),
                            preferredChannel(rs.getString("attributes")),
                            activity == null ? null : ReferralActivity.valueOf(activity),
                            noReferrals ? 0 : referrals);
                },
                customerId));
    }

    private static String preferredChannel(String attributes) {
        if (attributes == null) {
            return null;
        }
        try {
            JsonNode value = JSON.readTree(attributes).get("preferredChannel");
            if (value == null || !value.isTextual()) {
                return null;
            }
            String channel = value.asText().trim().toUpperCase(Locale.ROOT);
            return channel.equals("EMAIL") || channel.equals("SMS") ? channel : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.stream().findFirst();
    }
}
