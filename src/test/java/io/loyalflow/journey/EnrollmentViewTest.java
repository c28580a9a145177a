package io.loyalflow.journey;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.ViewColumns;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The journey module's view of enrollments (V27), which the campaign report reads: every enrollment as stored,
 * with the segment event that entered it as a number, and no business key (it carries the customer's id).
 */
class EnrollmentViewTest extends DatabaseTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theViewShowsEnrollmentsAsStoredWithTheirSegmentEvent() {
        String campaign = "view-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of("id", campaign, "name", "View test", "template", WinBackProcess.KEY))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        OffsetDateTime at = OffsetDateTime.of(2026, 6, 1, 14, 0, 0, 0, ZoneOffset.UTC);
        long first = enrollment(campaign, "event:4711", at, null);
        long second = enrollment(campaign, "api", at.plusDays(1), "CONVERTED");

        assertThat(ViewColumns.of(jdbc, "v_campaign_enrollment"))
                .containsExactly(
                        "enrollment_key",
                        "campaign_key",
                        "customer_key",
                        "revision",
                        "process_instance_id",
                        "entry_cause",
                        "entry_event_key",
                        "entered_at",
                        "exited_at",
                        "exit_outcome");
        assertThat(jdbc.query(
                        "select enrollment_key, customer_key, entry_cause, entry_event_key, entered_at, exit_outcome "
                                + "from v_campaign_enrollment where campaign_key = ? order by entered_at",
                        (rs, row) -> rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getString(3) + " "
                                + rs.getObject(4) + " "
                                + rs.getObject(5, OffsetDateTime.class).toInstant() + " " + rs.getString(6),
                        campaign))
                .containsExactly(
                        first + " 7 event:4711 4711 2026-06-01T14:00:00Z null",
                        second + " 7 api null 2026-06-02T14:00:00Z CONVERTED");
    }

    private long enrollment(String campaign, String cause, OffsetDateTime at, String outcome) {
        long key = Math.floorMod(UUID.randomUUID().getMostSignificantBits(), 1_000_000_000_000L);
        jdbc.update(
                "insert into campaign_enrollment (enrollment_key, campaign_key, customer_key, revision, process_instance_id, "
                        + "business_key, entry_cause, entered_at, exited_at, exit_outcome) values (?, ?, 7, 1, ?, ?, ?, ?, ?, ?)",
                key,
                campaign,
                "pi-" + UUID.randomUUID(),
                campaign + ":someone",
                cause,
                at,
                outcome == null ? null : at.plusHours(1),
                outcome);
        return key;
    }
}
