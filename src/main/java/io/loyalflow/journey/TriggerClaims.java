package io.loyalflow.journey;

import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import java.sql.Array;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which segment events a campaign has consumed: one {@code campaign_trigger} row per (campaign,
 * event), claimed in the consuming transaction. Two transactions claiming the same event never both
 * win, and the loser's transaction goes on (it neither fails nor has to be retried): on PostgreSQL
 * the insert skips conflicting rows, on H2 each row's duplicate is caught on its own statement.
 * A claim rolls back with its transaction, so an event whose chunk failed is consumed again later.
 */
@Component
class TriggerClaims {

    /** What came of one claimed event. */
    record Decision(long eventKey, String outcome, Long enrollmentKey) {}

    private final JdbcTemplate jdbc;
    private final Database database;

    TriggerClaims(JdbcTemplate jdbc, Database database) {
        this.jdbc = jdbc;
        this.database = database;
    }

    /** Claims the events for the campaign; returns the ones this transaction won. */
    Set<Long> claim(String campaignId, List<Long> eventKeys, Instant now) {
        Set<Long> won = new HashSet<>();
        if (eventKeys.isEmpty()) {
            return won;
        }
        if (database.isPostgres()) {
            jdbc.execute((ConnectionCallback<Void>) connection -> {
                Array keys = connection.createArrayOf("bigint", eventKeys.toArray());
                try (var statement =
                        connection.prepareStatement("insert into campaign_trigger (campaign_key, event_key, "
                                + "outcome, decided_at) select ?, k, 'PENDING', ? from unnest(?) as k "
                                + "on conflict (campaign_key, event_key) do nothing returning event_key")) {
                    statement.setString(1, campaignId);
                    statement.setObject(2, Timestamps.utc(now));
                    statement.setArray(3, keys);
                    try (var rows = statement.executeQuery()) {
                        while (rows.next()) {
                            won.add(rows.getLong(1));
                        }
                    }
                } finally {
                    keys.free();
                }
                return null;
            });
            return won;
        }
        for (Long eventKey : eventKeys) {
            try {
                jdbc.update(
                        "insert into campaign_trigger (campaign_key, event_key, outcome, decided_at) values (?, ?, "
                                + "'PENDING', ?)",
                        campaignId,
                        eventKey,
                        Timestamps.utc(now));
                won.add(eventKey);
            } catch (DuplicateKeyException taken) {
                // another transaction consumed it
            }
        }
        return won;
    }

    void decide(String campaignId, List<Decision> decisions) {
        jdbc.batchUpdate(
                "update campaign_trigger set outcome = ?, enrollment_key = ? where campaign_key = ? "
                        + "and event_key = ?",
                decisions.stream()
                        .map(d -> new Object[] {d.outcome(), d.enrollmentKey(), campaignId, d.eventKey()})
                        .toList());
    }

    /** Gives an event back to the campaign, so the next run considers it again (a journey that was lost). */
    int release(String campaignId, long eventKey, long enrollmentKey) {
        return jdbc.update(
                "delete from campaign_trigger where campaign_key = ? and event_key = ? and enrollment_key = ?",
                campaignId,
                eventKey,
                enrollmentKey);
    }
}
