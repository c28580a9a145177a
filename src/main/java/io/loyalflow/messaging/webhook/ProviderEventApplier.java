package io.loyalflow.messaging.webhook;

import static io.loyalflow.messaging.webhook.StoredEvent.text;
import static io.loyalflow.platform.db.Timestamps.utc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.Channel;
import io.loyalflow.messaging.DeliveryStatus;
import io.loyalflow.messaging.EngagementCorrelator;
import io.loyalflow.messaging.EngagementCorrelator.Engagement;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.messaging.provider.EmailMessage;
import io.loyalflow.platform.db.IdLookup;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies stored webhook events after they were answered: delivery status (never backwards),
 * engagement counts, suppressions and consents, then wakes waiting journeys. Batches are claimed
 * with {@code for update skip locked}, so several nodes share the work and no event is applied twice.
 * Runs right after each webhook request and as a periodic sweep (which also finishes whatever a
 * stopped node left). What an event means is the provider's format: {@link SendGridEventMapping},
 * {@link TwilioEventMapping}.
 */
@Component
public class ProviderEventApplier {

    private static final Logger log = LoggerFactory.getLogger(ProviderEventApplier.class);
    private static final String DELIVERY_COLUMNS =
            "delivery_id, status, process_instance_id, channel, address, first_opened_at, first_clicked_at, test";

    private final JdbcTemplate jdbc;
    private final IdLookup ids;
    private final TransactionTemplate transactions;
    private final SendGridEventMapping sendGrid;
    private final TwilioEventMapping twilio;
    private final EngagementCorrelator correlator;
    private final MessagingProperties properties;
    private final ObjectMapper objectMapper;
    private final MeterRegistry meters;
    private final Clock clock;
    private final boolean applyAfterRequest;
    private final ReentrantLock applying = new ReentrantLock();
    private final AtomicBoolean kicked = new AtomicBoolean();
    private final ThreadPoolTaskExecutor kicker;
    private final ThreadPoolTaskExecutor waker;

    ProviderEventApplier(
            JdbcTemplate jdbc,
            IdLookup ids,
            TransactionTemplate transactions,
            SendGridEventMapping sendGrid,
            TwilioEventMapping twilio,
            EngagementCorrelator correlator,
            MessagingProperties properties,
            ObjectMapper objectMapper,
            MeterRegistry meters,
            Clock clock,
            @Value("${loyalflow.messaging.webhooks.apply-after-request:true}") boolean applyAfterRequest,
            @Qualifier(WebhookExecutors.APPLY) ThreadPoolTaskExecutor kicker,
            @Qualifier(WebhookExecutors.WAKE) ThreadPoolTaskExecutor waker) {
        this.jdbc = jdbc;
        this.ids = ids;
        this.transactions = transactions;
        this.sendGrid = sendGrid;
        this.twilio = twilio;
        this.correlator = correlator;
        this.properties = properties;
        this.objectMapper = objectMapper;
        this.meters = meters;
        this.clock = clock;
        this.applyAfterRequest = applyAfterRequest;
        this.kicker = kicker;
        this.waker = waker;
    }

    /** Asks for the stored events to be applied soon, off the request thread; coalesces many requests. */
    public void kick() {
        if (applyAfterRequest && kicked.compareAndSet(false, true)) {
            kicker.execute(() -> {
                kicked.set(false);
                try {
                    applyPending();
                } catch (RuntimeException e) {
                    log.warn("Applying webhook events failed; the next sweep retries", e);
                }
            });
        }
    }

    @Scheduled(
            fixedDelayString = "${loyalflow.messaging.webhooks.sweep-interval:10s}",
            initialDelayString = "${loyalflow.messaging.webhooks.sweep-interval:10s}")
    void sweep() {
        try {
            applyPending();
            List<Engagement> untried = correlator.untried(clock.instant().minus(Duration.ofMinutes(1)), 1000);
            if (!untried.isEmpty()) {
                correlator.correlate(untried);
            }
        } catch (RuntimeException e) {
            log.warn("Webhook sweep failed; it runs again shortly", e);
        }
    }

    /**
     * Applies every stored event not applied yet; returns how many. The next batch is applied while
     * the journeys of the previous one are being woken, so the bookkeeping overlaps the engine's work;
     * one batch's journeys are woken before the next batch's.
     */
    public int applyPending() {
        applying.lock();
        try {
            int total = 0;
            Future<?> waking = null;
            while (true) {
                BatchResult batch = transactions.execute(
                        tx -> applyBatch(properties.webhooks().applyBatchSize()));
                finish(waking);
                if (batch == null || batch.events() == 0) {
                    return total;
                }
                total += batch.events();
                List<Engagement> engagements = batch.engagements();
                waking = engagements.isEmpty() ? null : waker.submit(() -> correlator.correlate(engagements));
            }
        } finally {
            applying.unlock();
        }
    }

    private static void finish(Future<?> waking) {
        if (waking == null) {
            return;
        }
        try {
            waking.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waking journeys failed", e.getCause());
        }
    }

    private record BatchResult(int events, List<Engagement> engagements) {}

    private BatchResult applyBatch(int size) {
        List<StoredEvent> events = jdbc.query(
                "select event_key, source, event_type, payload from provider_event "
                        + "where applied_at is null order by event_key limit ? for update skip locked",
                (rs, row) -> new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), parse(rs.getString(4))),
                size);
        if (events.isEmpty()) {
            return new BatchResult(0, List.of());
        }
        Map<String, DeliveryRow> deliveries = loadDeliveries(events);
        Instant now = clock.instant();
        AppliedBatch batch = new AppliedBatch(now);
        List<Object[]> outcomes = new ArrayList<>();
        for (StoredEvent event : events) {
            DeliveryRow delivery = deliveries.get(deliveryRef(event));
            if (delivery == null) {
                delivery = deliveries.get(providerMessageRef(event));
            }
            String outcome;
            try {
                outcome = switch (event.source()) {
                    case ProviderEventStore.SENDGRID -> sendGrid.apply(event, delivery, batch);
                    case ProviderEventStore.TWILIO_STATUS -> twilio.applyStatus(event, delivery, batch);
                    case ProviderEventStore.TWILIO_INBOUND -> twilio.applyInbound(event);
                    default -> "IGNORED";
                };
            } catch (RuntimeException e) {
                log.warn("Webhook event {} could not be applied", event.key(), e);
                outcome = "ERROR";
            }
            if ("UNKNOWN_MESSAGE".equals(outcome)) {
                log.warn(
                        "Webhook event {} ({} {}) names no delivery Loyalflow knows; stored and reported as UNKNOWN_MESSAGE",
                        event.key(),
                        event.source(),
                        event.type());
            }
            meters.counter(
                            "loyalflow.webhooks.applied",
                            "source",
                            event.source().toLowerCase(Locale.ROOT),
                            "outcome",
                            outcome)
                    .increment();
            outcomes.add(new Object[] {utc(now), outcome, event.key()});
        }
        List<Object[]> updates = new ArrayList<>();
        for (DeliveryRow row : new LinkedHashSet<>(deliveries.values())) {
            if (row.changed) {
                updates.add(new Object[] {
                    row.status.name(),
                    row.opens,
                    row.machineOpens,
                    row.clicks,
                    utc(row.firstOpened),
                    utc(row.firstClicked),
                    utc(now),
                    row.id
                });
            }
        }
        if (!updates.isEmpty()) {
            jdbc.batchUpdate(
                    "update delivery set status = ?, opens = opens + ?, machine_opens = machine_opens + ?, "
                            + "clicks = clicks + ?, first_opened_at = coalesce(first_opened_at, ?), "
                            + "first_clicked_at = coalesce(first_clicked_at, ?), updated_at = ? where delivery_id = ?",
                    updates);
        }
        if (!batch.deliveryEvents.isEmpty()) {
            jdbc.batchUpdate(
                    "insert into delivery_event (delivery_id, kind, detail, occurred_at, recorded_at, message_name, "
                            + "process_instance_id) values (?, ?, ?, ?, ?, ?, ?)",
                    batch.deliveryEvents);
        }
        jdbc.batchUpdate("update provider_event set applied_at = ?, outcome = ? where event_key = ?", outcomes);
        return new BatchResult(events.size(), latestOnly(batch.engagements));
    }

    /**
     * Only the journey's latest sent message of a channel wakes it; the others are recorded as
     * superseded. One query for the whole batch.
     */
    private List<Engagement> latestOnly(List<Engagement> engagements) {
        if (engagements.isEmpty()) {
            return engagements;
        }
        record Newest(String deliveryId, long seq) {}
        Map<String, Newest> latest = new HashMap<>();
        Map<String, String> channelOf = new HashMap<>();
        Set<String> processes = new HashSet<>();
        engagements.forEach(engagement -> processes.add(engagement.processInstanceId()));
        // one lookup gives every delivery of these journeys: their channels, and the newest sent one per channel
        ids.forEach(
                "delivery",
                "process_instance_id",
                "delivery_id, channel, delivery_seq, status, test",
                processes,
                rs -> {
                    channelOf.put(rs.getString(2), rs.getString(3));
                    if (rs.getBoolean(6) || DeliveryStatus.NOT_SENT.contains(DeliveryStatus.valueOf(rs.getString(5)))) {
                        return; // never sent: not a message the journey can be waiting on
                    }
                    latest.merge(
                            rs.getString(1) + "|" + rs.getString(3),
                            new Newest(rs.getString(2), rs.getLong(4)),
                            (a, b) -> a.seq() >= b.seq() ? a : b);
                });
        List<Engagement> current = new ArrayList<>();
        List<Object[]> superseded = new ArrayList<>();
        for (Engagement engagement : engagements) {
            Newest newest = latest.get(engagement.processInstanceId() + "|" + channelOf.get(engagement.deliveryId()));
            if (newest != null && newest.deliveryId().equals(engagement.deliveryId())) {
                current.add(engagement);
            } else {
                superseded.add(new Object[] {engagement.deliveryId(), engagement.messageName()});
            }
        }
        if (!superseded.isEmpty()) {
            jdbc.batchUpdate(
                    "update delivery_event set correlation = 'SUPERSEDED' where delivery_id = ? and message_name = ?",
                    superseded);
        }
        return current;
    }

    private Map<String, DeliveryRow> loadDeliveries(List<StoredEvent> events) {
        Set<String> deliveryIds = new TreeSet<>();
        Set<String> messageIds = new TreeSet<>();
        for (StoredEvent event : events) {
            String ref = deliveryRef(event);
            if (ref != null) {
                deliveryIds.add(ref);
            } else if (providerMessageRef(event) != null) {
                messageIds.add(providerMessageRef(event));
            }
        }
        Map<String, DeliveryRow> rows = new LinkedHashMap<>();
        ids.forEach("delivery", "delivery_id", DELIVERY_COLUMNS, deliveryIds, true, rs -> {
            DeliveryRow row = row(rs, 1);
            rows.put(row.id, row);
        });
        if (!messageIds.isEmpty()) {
            ids.forEach("delivery", "provider_message_id", DELIVERY_COLUMNS, messageIds, true, rs -> {
                DeliveryRow row = rows.computeIfAbsent(rs.getString(2), id -> {
                    try {
                        return row(rs, 1);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                rows.put(rs.getString(1), row);
            });
        }
        return rows;
    }

    private static DeliveryRow row(ResultSet rs, int offset) throws SQLException {
        return new DeliveryRow(
                rs.getString(offset + 1),
                DeliveryStatus.valueOf(rs.getString(offset + 2)),
                rs.getString(offset + 3),
                Channel.fromKey(rs.getString(offset + 4)),
                rs.getString(offset + 5),
                rs.getObject(offset + 6) != null,
                rs.getObject(offset + 7) != null,
                rs.getBoolean(offset + 8));
    }

    private static String deliveryRef(StoredEvent event) {
        return text(event.payload(), EmailMessage.DELIVERY_ID_ARG);
    }

    /** The provider's id of the message, in its format. */
    private static String providerMessageRef(StoredEvent event) {
        if (ProviderEventStore.SENDGRID.equals(event.source())) {
            return SendGridEventMapping.providerMessageRef(event.payload());
        }
        return TwilioEventMapping.providerMessageRef(event.payload());
    }

    private JsonNode parse(String payload) {
        try {
            return objectMapper.readTree(payload);
        } catch (IOException e) {
            throw new IllegalStateException("stored event is not JSON", e);
        }
    }
}
