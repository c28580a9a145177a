package io.loyalflow.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.ViewColumns;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The segment module's view of its events (V26), which campaign entry reads set-based, and the log's
 * position campaigns start after. Written and read in a transaction rolled back at the end, so no
 * campaign of another test sees the events.
 */
class SegmentEventViewTest extends DatabaseTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SegmentEventLog log;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void theViewShowsEveryEventInOrderAndTheLogKnowsTheLast() {
        assertThat(ViewColumns.of(jdbc, "v_segment_event"))
                .containsExactly(
                        "event_key",
                        "kind",
                        "segment_id",
                        "customer_key",
                        "from_tier",
                        "to_tier",
                        "tier_change",
                        "occurred_at",
                        "cause");
        transactions.executeWithoutResult(tx -> {
            tx.setRollbackOnly();
            long before = log.lastEventKey();
            OffsetDateTime at = OffsetDateTime.ofInstant(Instant.parse("2026-02-01T10:00:00Z"), ZoneOffset.UTC);
            jdbc.update(
                    "insert into segment_event (kind, segment_id, customer_key, occurred_at, cause) "
                            + "values ('SEGMENT_ENTERED', 'views-test', 987654321, ?, 'refresh:views')",
                    at);
            jdbc.update(
                    "insert into segment_event (kind, customer_key, from_tier, to_tier, tier_change, occurred_at, cause) "
                            + "values ('TIER_CHANGED', 987654321, 'SILVER', 'GOLD', 'UPGRADE', ?, 'order:views')",
                    at);
            long last = log.lastEventKey();
            assertThat(last).isGreaterThan(before);
            assertThat(jdbc.query(
                            "select * from v_segment_event where event_key > ? order by event_key",
                            (rs, row) -> rs.getString("kind") + " " + rs.getString("segment_id") + " "
                                    + rs.getLong("customer_key")
                                    + " " + rs.getString("from_tier") + ">" + rs.getString("to_tier") + " "
                                    + rs.getString("tier_change")
                                    + " "
                                    + rs.getObject("occurred_at", OffsetDateTime.class)
                                            .toInstant() + " " + rs.getString("cause"),
                            before))
                    .containsExactly(
                            "SEGMENT_ENTERED views-test 987654321 null>null null 2026-02-01T10:00:00Z refresh:views",
                            "TIER_CHANGED null 987654321 SILVER>GOLD UPGRADE 2026-02-01T10:00:00Z order:views");
            assertThat(jdbc.queryForObject("select max(event_key) from v_segment_event", Long.class))
                    .isEqualTo(last);
        });
    }

    @Test
    void theMemberViewShowsCurrentMembershipsOnly() {
        assertThat(ViewColumns.of(jdbc, "v_segment_member")).containsExactly("segment_id", "customer_key");
        transactions.executeWithoutResult(tx -> {
            tx.setRollbackOnly();
            OffsetDateTime at = OffsetDateTime.ofInstant(Instant.parse("2026-02-01T10:00:00Z"), ZoneOffset.UTC);
            jdbc.update(
                    "insert into customer (customer_id, origin, version, created_at, updated_at) "
                            + "values ('views-member', 'PROFILE', 1, ?, ?)",
                    at,
                    at);
            Long key = jdbc.queryForObject(
                    "select customer_key from customer where customer_id = 'views-member'", Long.class);
            jdbc.update(
                    "insert into segment_membership (segment_id, customer_key, entered_at) values "
                            + "('views-now', ?, ?)",
                    key,
                    at);
            jdbc.update(
                    "insert into segment_membership (segment_id, customer_key, entered_at, left_at) values "
                            + "('views-before', ?, ?, ?)",
                    key,
                    at,
                    at.plusDays(1));
            assertThat(jdbc.queryForList(
                            "select segment_id from v_segment_member where customer_key = ?", String.class, key))
                    .containsExactly("views-now");
        });
    }
}
