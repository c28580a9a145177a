package io.loyalflow.messaging.webhook;

import io.loyalflow.platform.db.Database;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Stores verified webhook events before they are answered and applied, deduplicated on the
 * provider's event id: a redelivered batch stores nothing twice. Ids and types that do not fit their
 * columns are made to fit ({@link ProviderPayloads}); payloads come here already made safe.
 */
@Repository
class ProviderEventStore {

    public static final String SENDGRID = "SENDGRID";
    public static final String TWILIO_STATUS = "TWILIO_STATUS";
    public static final String TWILIO_INBOUND = "TWILIO_INBOUND";

    private final JdbcTemplate jdbc;
    private final Database database;
    private final Clock clock;

    ProviderEventStore(JdbcTemplate jdbc, Database database, Clock clock) {
        this.jdbc = jdbc;
        this.database = database;
        this.clock = clock;
    }

    public record IncomingEvent(String eventId, String type, String payload) {}

    /** Stores the events not stored before; returns how many were new. One statement on PostgreSQL. */
    public int store(String source, List<IncomingEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        Map<String, IncomingEvent> unique = new LinkedHashMap<>();
        events.stream()
                .map(event -> new IncomingEvent(
                        ProviderPayloads.eventId(event.eventId()),
                        ProviderPayloads.eventType(event.type()),
                        event.payload()))
                .forEach(event -> unique.putIfAbsent(event.eventId(), event));
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        if (database.isPostgres()) {
            String[] ids = new String[unique.size()];
            String[] types = new String[unique.size()];
            String[] payloads = new String[unique.size()];
            int i = 0;
            for (IncomingEvent event : unique.values()) {
                ids[i] = event.eventId();
                types[i] = event.type();
                payloads[i++] = event.payload();
            }
            Integer stored = jdbc.execute((Connection connection) -> {
                try (PreparedStatement statement = connection.prepareStatement(
                        "insert into provider_event (source, event_id, event_type, payload, received_at) "
                                + "select ?, e.id, e.type, e.payload, ? from unnest(?::varchar[], ?::varchar[], ?::varchar[]) "
                                + "as e(id, type, payload) on conflict (source, event_id) do nothing")) {
                    Array idArray = connection.createArrayOf("varchar", ids);
                    Array typeArray = connection.createArrayOf("varchar", types);
                    Array payloadArray = connection.createArrayOf("varchar", payloads);
                    statement.setString(1, source);
                    statement.setObject(2, now);
                    statement.setArray(3, idArray);
                    statement.setArray(4, typeArray);
                    statement.setArray(5, payloadArray);
                    return statement.executeUpdate();
                }
            });
            return stored == null ? 0 : stored;
        }
        int stored = 0;
        List<Object[]> rows = new ArrayList<>();
        for (IncomingEvent event : unique.values()) {
            rows.add(new Object[] {source, event.eventId(), event.type(), event.payload(), now, source, event.eventId()
            });
        }
        String sql = "insert into provider_event (source, event_id, event_type, payload, received_at) "
                + "select ?, ?, ?, ?, ? from (values (1)) v where not exists "
                + "(select 1 from provider_event where source = ? and event_id = ?)";
        try {
            for (int count : jdbc.batchUpdate(sql, rows)) {
                stored += Math.max(count, 0);
            }
        } catch (DuplicateKeyException raced) {
            stored = 0;
            for (Object[] row : rows) {
                try {
                    stored += jdbc.update(sql, row);
                } catch (DuplicateKeyException duplicate) {
                    // stored by a concurrent request
                }
            }
        }
        return stored;
    }
}
