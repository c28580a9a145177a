package io.loyalflow.journey;

import io.loyalflow.platform.db.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the listeners of durable facts (orders, referrals, erasures, customer events) share: the
 * customer's running journeys, from their enrollments (never a process-variable query), and the
 * receipts that make each fact reach each journey at most once. A resubmitted event, or the same
 * event delivered by two nodes at once, finds the receipt (or waits for the other node's and then
 * fails, to be resubmitted) and changes nothing.
 */
@Component
class JourneyFacts {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    JourneyFacts(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A journey that has not exited. */
    record Journey(String processInstanceId, String campaignKey, String businessKey, Instant enteredAt) {

        /** Whether a fact recorded at {@code recordedAt} concerns this journey: it had entered by then. */
        boolean enteredBy(Instant recordedAt) {
            return !enteredAt.isAfter(recordedAt);
        }
    }

    List<Journey> running(long customerKey) {
        return jdbc.query(
                "select process_instance_id, campaign_key, business_key, entered_at from campaign_enrollment "
                        + "where customer_key = ? and exited_at is null order by enrollment_key",
                (rs, row) -> new Journey(
                        rs.getString(1), rs.getString(2), rs.getString(3), Timestamps.instant(rs, "entered_at")),
                customerKey);
    }

    /**
     * Records that the process instance receives {@code fact} (e.g. {@code order:o-1}) now, in the
     * caller's transaction. False when it received it before: the caller then does nothing.
     */
    boolean receive(String processInstanceId, String fact) {
        if (received(processInstanceId, fact)) {
            return false;
        }
        jdbc.update(
                "insert into journey_receipt (process_instance_id, fact, received_at) values (?, ?, ?)",
                processInstanceId,
                fact,
                Timestamps.utc(clock.instant()));
        return true;
    }

    boolean received(String processInstanceId, String fact) {
        Integer found = jdbc.queryForObject(
                "select count(*) from journey_receipt where process_instance_id = ? " + "and fact = ?",
                Integer.class,
                processInstanceId,
                fact);
        return found != null && found > 0;
    }
}
