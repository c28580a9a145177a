package io.loyalflow.messaging;

import static io.loyalflow.platform.db.Timestamps.utc;

import io.loyalflow.platform.retention.RetentionCleanup;
import io.loyalflow.platform.retention.RetentionFamily;
import io.loyalflow.platform.retention.RetentionProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes deliveries created before the cutoff ({@code loyalflow.retention.deliveries}) with their status and
 * engagement events. Messages still on their way (DEFERRED, SENDING, RETRYABLE) stay whatever their age. The
 * period must cover the frequency caps' windows, which count the deliveries of the window: a shorter one refuses
 * the start. An engagement event that arrives for a deleted delivery is stored and reported as UNKNOWN_MESSAGE,
 * like any event naming a message Loyalflow does not know.
 */
@Component
class DeliveryRetention implements RetentionCleanup {

    private static final List<String> IN_FLIGHT =
            List.of(DeliveryStatus.DEFERRED.name(), DeliveryStatus.SENDING.name(), DeliveryStatus.RETRYABLE.name());

    private final NamedParameterJdbcTemplate jdbc;

    DeliveryRetention(NamedParameterJdbcTemplate jdbc, RetentionProperties retention, MessagingProperties messaging) {
        this.jdbc = jdbc;
        Duration caps = max(messaging.emailCap().window(), messaging.smsCap().window());
        retention.requireAtLeast(
                RetentionFamily.DELIVERIES,
                caps,
                "the frequency caps count the deliveries of their window (loyalflow.messaging.email-cap.window, "
                        + "loyalflow.messaging.sms-cap.window)");
    }

    @Override
    public RetentionFamily family() {
        return RetentionFamily.DELIVERIES;
    }

    @Override
    public String name() {
        return "delivery";
    }

    @Override
    public Batch deleteBatch(Instant cutoff, int limit) {
        List<String> ids = jdbc.queryForList(
                "select delivery_id from delivery where created_at < :cutoff and status not in (:inFlight) "
                        + "order by created_at, delivery_id limit :limit",
                Map.of("cutoff", utc(cutoff), "inFlight", IN_FLIGHT, "limit", limit),
                String.class);
        if (ids.isEmpty()) {
            return new Batch(0, Map.of());
        }
        int events = jdbc.update("delete from delivery_event where delivery_id in (:ids)", Map.of("ids", ids));
        int deliveries = jdbc.update("delete from delivery where delivery_id in (:ids)", Map.of("ids", ids));
        return new Batch(deliveries, Map.of("delivery", deliveries, "delivery_event", events));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
