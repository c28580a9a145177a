package io.loyalflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.ViewColumns;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The messaging module's views of deliveries and their events (V27), which the campaign report reads: every
 * delivery and event as stored, without address, content, provider ids and details.
 */
class DeliveryViewsTest extends DatabaseTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theViewsShowDeliveriesAndEventsAsStoredWithoutPersonalData() {
        String id = UUID.randomUUID().toString();
        OffsetDateTime at = OffsetDateTime.of(2026, 6, 1, 14, 0, 0, 0, ZoneOffset.UTC);
        jdbc.update(
                "insert into delivery (delivery_id, process_instance_id, step_key, activity_id, campaign, channel, address, "
                        + "content, test, gate_decision, status, counted, attempts, created_at, updated_at, sent_at, "
                        + "first_opened_at, opens, machine_opens, first_clicked_at, clicks) "
                        + "values (?, 'pi-1', 'Task_Send#1', 'Task_Send', 'c1', 'email', 'ann@example.com', 'Hi Ann', false, "
                        + "'PASSED', 'DELIVERED', true, 1, ?, ?, ?, ?, 2, 1, ?, 1)",
                id,
                at,
                at,
                at,
                at.plusHours(1),
                at.plusHours(2));
        jdbc.update(
                "insert into delivery_event (delivery_id, kind, detail, occurred_at, recorded_at) "
                        + "values (?, 'open', 'ann@example.com', ?, ?)",
                id,
                at.plusHours(1),
                at.plusHours(1));

        assertThat(ViewColumns.of(jdbc, "v_delivery"))
                .containsExactly(
                        "delivery_id",
                        "delivery_seq",
                        "process_instance_id",
                        "activity_id",
                        "campaign",
                        "customer_key",
                        "channel",
                        "test",
                        "gate_decision",
                        "status",
                        "created_at",
                        "sent_at",
                        "first_opened_at",
                        "opens",
                        "machine_opens",
                        "first_clicked_at",
                        "clicks");
        assertThat(jdbc.query(
                        "select v.process_instance_id, v.activity_id, v.campaign, v.channel, v.status, v.opens, v.machine_opens, "
                                + "v.clicks, v.first_opened_at, v.delivery_seq = d.delivery_seq from v_delivery v "
                                + "join delivery d on d.delivery_id = v.delivery_id where v.delivery_id = ?",
                        (rs, row) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                                + rs.getString(4) + " " + rs.getString(5) + " " + rs.getInt(6) + "/" + rs.getInt(7)
                                + "/" + rs.getInt(8) + " "
                                + rs.getObject(9, OffsetDateTime.class).toInstant() + " " + rs.getBoolean(10),
                        id))
                .containsExactly("pi-1 Task_Send c1 email DELIVERED 2/1/1 2026-06-01T15:00:00Z true");

        assertThat(ViewColumns.of(jdbc, "v_delivery_event"))
                .containsExactly("event_key", "delivery_id", "kind", "occurred_at");
        assertThat(jdbc.query(
                        "select kind, occurred_at from v_delivery_event where delivery_id = ?",
                        (rs, row) -> rs.getString(1) + " "
                                + rs.getObject(2, OffsetDateTime.class).toInstant(),
                        id))
                .containsExactly("open 2026-06-01T15:00:00Z");
    }
}
