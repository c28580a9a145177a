package io.loyalflow.audience;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The sync status of each ad audience as Prometheus meters (their descriptions: MeterDescriptions): the very counters GET /api/audiences/{id} and the
 * dashboard show (members sent, removals, batches, errors; the last batch's time; flagged), read from the database
 * at most every few seconds, so every node reports the cluster's figures (take the maximum across nodes, not the
 * sum). An audience created on another node appears here at the next scrape after this node read the audiences.
 */
@Component
class AudienceMeters {

    private static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final AdAudienceStore store;
    private final Clock clock;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile Map<String, AdAudienceStore.Row> snapshot = Map.of();
    private volatile Instant readAt = Instant.MIN;

    AudienceMeters(MeterRegistry registry, AdAudienceStore store, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.clock = clock;
        Gauge.builder("loyalflow.audiences", this, m -> m.current().size()).register(registry);
    }

    /** Meters for the audiences that exist when the service is ready (later ones: {@link #track}). */
    @EventListener(ApplicationReadyEvent.class)
    void trackExisting() {
        current();
    }

    /** An audience created on this node gets its meters at once, with its figures read at the next scrape. */
    void track(String audienceId) {
        readAt = Instant.MIN;
        register(audienceId);
    }

    private Map<String, AdAudienceStore.Row> current() {
        Instant now = clock.instant();
        if (readAt.plus(FRESH_FOR).isBefore(now) || readAt.isAfter(now)) {
            snapshot = store.all().stream().collect(Collectors.toMap(AdAudienceStore.Row::id, row -> row));
            readAt = now;
            snapshot.keySet().forEach(this::register);
        }
        return snapshot;
    }

    private void register(String id) {
        if (!registered.add(id)) {
            return;
        }
        counter(id, "loyalflow.audiences.members.sent", AdAudienceStore.Row::membersSent);
        counter(id, "loyalflow.audiences.removals", AdAudienceStore.Row::removals);
        counter(id, "loyalflow.audiences.batches", AdAudienceStore.Row::batches);
        counter(id, "loyalflow.audiences.errors", AdAudienceStore.Row::errors);
        gauge(
                id,
                "loyalflow.audiences.last.batch",
                row -> row.lastBatchAt() == null ? 0 : row.lastBatchAt().getEpochSecond());
        gauge(id, "loyalflow.audiences.flagged", row -> AdAudienceStore.FLAGGED.equals(row.status()) ? 1 : 0);
    }

    private void counter(String id, String name, ToDoubleFunction<AdAudienceStore.Row> value) {
        FunctionCounter.builder(name, this, m -> read(m, id, value))
                .tag("audience", id)
                .register(registry);
    }

    private void gauge(String id, String name, ToDoubleFunction<AdAudienceStore.Row> value) {
        Gauge.builder(name, this, m -> read(m, id, value)).tag("audience", id).register(registry);
    }

    private static double read(AudienceMeters meters, String id, ToDoubleFunction<AdAudienceStore.Row> value) {
        AdAudienceStore.Row row = meters.current().get(id);
        return row == null ? Double.NaN : value.applyAsDouble(row);
    }
}
