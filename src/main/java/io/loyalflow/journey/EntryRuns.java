package io.loyalflow.journey;

import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One campaign-entry run at a time per campaign, across the cluster: each chunk renews its run's hold
 * on the campaign in the chunk's own transaction. A later run (the schedule fires while a big entry
 * is still going) leaves the campaign to the run holding it; a hold not renewed for
 * {@code loyalflow.campaigns.entry-run-silence} (a node died, a chunk became an incident) is taken over.
 * Overlap would be harmless anyway (events are claimed one by one); the hold keeps runs from
 * queueing behind each other's locks.
 */
@Component
class EntryRuns {

    private final JdbcTemplate jdbc;
    private final Database database;
    private final Clock clock;
    private final Duration silence;

    EntryRuns(
            JdbcTemplate jdbc,
            Database database,
            Clock clock,
            @Value("${loyalflow.campaigns.entry-run-silence:10m}") Duration silence) {
        this.jdbc = jdbc;
        this.database = database;
        this.clock = clock;
        this.silence = silence;
    }

    /** Takes or renews the run's hold on the campaign; false while another run holds it. */
    boolean hold(String campaignId, String runId) {
        Instant now = clock.instant();
        int renewed = jdbc.update(
                "update campaign_entry_run set run_id = ?, heartbeat_at = ? where campaign_key = ? "
                        + "and (run_id = ? or run_id is null or heartbeat_at < ?)",
                runId,
                Timestamps.utc(now),
                campaignId,
                runId,
                Timestamps.utc(now.minus(silence)));
        if (renewed > 0) {
            return true;
        }
        if (database.isPostgres()) {
            return jdbc.update(
                            "insert into campaign_entry_run (campaign_key, run_id, heartbeat_at) values (?, ?, ?) "
                                    + "on conflict (campaign_key) do nothing",
                            campaignId,
                            runId,
                            Timestamps.utc(now))
                    > 0;
        }
        try {
            return jdbc.update(
                            "insert into campaign_entry_run (campaign_key, run_id, heartbeat_at) values (?, ?, ?)",
                            campaignId,
                            runId,
                            Timestamps.utc(now))
                    > 0;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    void release(String campaignId, String runId) {
        jdbc.update(
                "update campaign_entry_run set run_id = null where campaign_key = ? and run_id = ?", campaignId, runId);
    }
}
