package io.loyalflow.journey;

import static io.loyalflow.platform.db.Timestamps.utc;

import io.loyalflow.platform.retention.RetentionCleanup;
import io.loyalflow.platform.retention.RetentionFamily;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes the receipts of facts received before the cutoff ({@code loyalflow.retention.enrollments}), except those
 * of a journey whose enrollment is still open. A receipt makes a resubmitted fact change nothing; facts are
 * resubmitted minutes after they were published (docs/operations.md, "Durable events"), not a year later.
 */
@Component
class JourneyReceiptRetention implements RetentionCleanup {

    private final NamedParameterJdbcTemplate jdbc;

    JourneyReceiptRetention(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public RetentionFamily family() {
        return RetentionFamily.ENROLLMENTS;
    }

    @Override
    public String name() {
        return "journey_receipt";
    }

    @Override
    public Batch deleteBatch(Instant cutoff, int limit) {
        List<MapSqlParameterSource> keys = jdbc.query(
                "select r.process_instance_id, r.fact from journey_receipt r where r.received_at < :cutoff "
                        + "and not exists (select 1 from campaign_enrollment e where e.process_instance_id = "
                        + "r.process_instance_id and e.exited_at is null) "
                        + "order by r.received_at, r.process_instance_id, r.fact limit :limit",
                Map.of("cutoff", utc(cutoff), "limit", limit),
                (rs, row) -> new MapSqlParameterSource()
                        .addValue("instance", rs.getString("process_instance_id"))
                        .addValue("fact", rs.getString("fact")));
        int deleted = 0;
        for (int rows : jdbc.batchUpdate(
                "delete from journey_receipt where process_instance_id = :instance and fact = :fact",
                keys.toArray(MapSqlParameterSource[]::new))) {
            deleted += Math.max(rows, 0);
        }
        return new Batch(keys.size(), Map.of(name(), deleted));
    }
}
