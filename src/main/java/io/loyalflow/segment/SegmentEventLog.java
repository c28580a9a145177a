package io.loyalflow.segment;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Where the log of segment events stands, for modules that follow it (a campaign's entries start after
 * the last event at its first activation). Journeys read the events themselves set-based through the
 * view {@code v_segment_event}.
 */
@Service
public class SegmentEventLog {

    private final JdbcTemplate jdbc;

    SegmentEventLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The key of the latest segment event, 0 before the first. */
    public long lastEventKey() {
        return jdbc.queryForObject("select coalesce(max(event_key), 0) from segment_event", Long.class);
    }
}
