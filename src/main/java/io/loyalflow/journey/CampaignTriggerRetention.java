package io.loyalflow.journey;

import io.loyalflow.platform.retention.RetentionCleanup;
import io.loyalflow.platform.retention.RetentionFamily;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes what campaigns decided about segment events the segment module has deleted
 * ({@code loyalflow.retention.segment-events}): the decisions about events older than the oldest event still in
 * the log. An event still in the log keeps its decisions, so no event is considered twice. Runs after the
 * segment module's own cleanup of the log.
 */
@Component
class CampaignTriggerRetention implements RetentionCleanup {

    private final NamedParameterJdbcTemplate jdbc;

    CampaignTriggerRetention(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public RetentionFamily family() {
        return RetentionFamily.SEGMENT_EVENTS;
    }

    @Override
    public String name() {
        return "campaign_trigger";
    }

    /** After the segment module's cleanup of the log. */
    @Override
    public int order() {
        return 1;
    }

    @Override
    public Batch deleteBatch(Instant cutoff, int limit) {
        Long oldest = jdbc.queryForObject("select min(event_key) from v_segment_event", Map.of(), Long.class);
        if (oldest == null) {
            return Batch.of(name(), 0);
        }
        List<MapSqlParameterSource> keys = jdbc.query(
                "select campaign_key, event_key from campaign_trigger where event_key < :oldest "
                        + "order by event_key, campaign_key limit :limit",
                Map.of("oldest", oldest, "limit", limit),
                (rs, row) -> new MapSqlParameterSource()
                        .addValue("campaign", rs.getString("campaign_key"))
                        .addValue("event", rs.getLong("event_key")));
        int deleted = 0;
        for (int rows : jdbc.batchUpdate(
                "delete from campaign_trigger where campaign_key = :campaign and event_key = :event",
                keys.toArray(MapSqlParameterSource[]::new))) {
            deleted += Math.max(rows, 0);
        }
        return Batch.of(name(), deleted);
    }
}
