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
 * Deletes applied webhook events received before the cutoff ({@code loyalflow.retention.provider-events}); an
 * event not applied yet stays whatever its age. The row is also the deduplication key of the provider's event
 * id, so the period must be longer than the providers retry a webhook (SendGrid up to 72 hours): at least 7 days.
 */
@Component
class ProviderEventRetention implements RetentionCleanup {

    /** Longer than SendGrid (72 hours) and Twilio retry a webhook, so no retry is applied twice. */
    static final Duration PROVIDER_RETRIES = Duration.ofDays(7);

    private final NamedParameterJdbcTemplate jdbc;

    ProviderEventRetention(NamedParameterJdbcTemplate jdbc, RetentionProperties retention) {
        this.jdbc = jdbc;
        retention.requireAtLeast(
                RetentionFamily.PROVIDER_EVENTS,
                PROVIDER_RETRIES,
                "a webhook event is recognised as a repeat while its row exists, and SendGrid retries for up to "
                        + "72 hours");
    }

    @Override
    public RetentionFamily family() {
        return RetentionFamily.PROVIDER_EVENTS;
    }

    @Override
    public String name() {
        return "provider_event";
    }

    @Override
    public Batch deleteBatch(Instant cutoff, int limit) {
        List<Long> keys = jdbc.queryForList(
                "select event_key from provider_event where received_at < :cutoff and applied_at is not null "
                        + "order by event_key limit :limit",
                Map.of("cutoff", utc(cutoff), "limit", limit),
                Long.class);
        if (keys.isEmpty()) {
            return Batch.of(name(), 0);
        }
        return Batch.of(
                name(), jdbc.update("delete from provider_event where event_key in (:keys)", Map.of("keys", keys)));
    }
}
