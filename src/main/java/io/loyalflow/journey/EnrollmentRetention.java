package io.loyalflow.journey;

import static io.loyalflow.platform.db.Timestamps.utc;

import io.loyalflow.platform.retention.RetentionCleanup;
import io.loyalflow.platform.retention.RetentionFamily;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes the enrollments of journeys that ended before the cutoff ({@code loyalflow.retention.enrollments}),
 * except each customer's latest enrollment in each campaign. A running journey's enrollment (no exit yet) is
 * never deleted. The re-entry policies (ONCE, AFTER_EXIT, cool-downs) read the customer's
 * {@code campaign_participant} row (entries, last entry and exit), which retention never deletes, so a customer
 * entered once is refused by a ONCE campaign however old that entry; the latest enrollment stays for the
 * journeys view and the idempotency key of the last entry.
 */
@Component
class EnrollmentRetention implements RetentionCleanup {

    private final NamedParameterJdbcTemplate jdbc;

    EnrollmentRetention(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public RetentionFamily family() {
        return RetentionFamily.ENROLLMENTS;
    }

    @Override
    public String name() {
        return "campaign_enrollment";
    }

    @Override
    public Batch deleteBatch(Instant cutoff, int limit) {
        List<Long> keys = jdbc.queryForList(
                "select e.enrollment_key from campaign_enrollment e where e.exited_at < :cutoff "
                        + "and exists (select 1 from campaign_enrollment later where later.customer_key = e.customer_key "
                        + "and later.campaign_key = e.campaign_key and later.enrollment_key > e.enrollment_key) "
                        + "order by e.exited_at, e.enrollment_key limit :limit",
                Map.of("cutoff", utc(cutoff), "limit", limit),
                Long.class);
        if (keys.isEmpty()) {
            return Batch.of(name(), 0);
        }
        return Batch.of(
                name(),
                jdbc.update(
                        "delete from campaign_enrollment where enrollment_key in (:keys) and exited_at is not null",
                        Map.of("keys", keys)));
    }
}
