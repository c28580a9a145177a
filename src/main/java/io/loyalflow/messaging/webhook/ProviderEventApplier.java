package io.loyalflow.messaging.webhook;

import static io.loyalflow.platform.db.Timestamps.utc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.Channel;
import io.loyalflow.customer.ConsentStatus;
import io.loyalflow.customer.CustomerService;
import io.loyalflow.messaging.DeliveryStatus;
import io.loyalflow.messaging.EngagementCorrelator;
import io.loyalflow.messaging.EngagementCorrelator.Engagement;
import io.loyalflow.messaging.EngagementMessages;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.messaging.SuppressionReason;
import io.loyalflow.messaging.Suppressions;
import io.loyalflow.messaging.provider.EmailMessage;
import io.loyalflow.platform.db.IdLookup;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies stored webhook events after they were answered: delivery status (never backwards),
 * engagement counts, suppressions and consents, then wakes waiting journeys. Batches are claimed
 * with {@code for update skip locked}, so several nodes share the work and no event is applied twice.
 * Runs right after each webhook request and as a periodic sweep (which also finishes whatever a
 * stopped node left).
 */
@Component
public class ProviderEventApplier implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ProviderEventApplier.class);
  private static final Set<String> STOP_WORDS =
      Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT");
  private static final Set<String> START_WORDS = Set.of("START", "YES", "UNSTOP");
  private static final Set<String> HELP_WORDS = Set.of("HELP", "INFO");
  /** Twilio error codes after acceptance that mean the number will never receive SMS. */
  private static final Set<String> DEAD_NUMBER_CODES = Set.of("30005", "30006", "21211", "21614");
  private static final String DELIVERY_COLUMNS =
      "delivery_id, status, process_instance_id, channel, address, first_opened_at, first_clicked_at, test";

  private final JdbcTemplate jdbc;
  private final IdLookup ids;
  private final TransactionTemplate transactions;
  private final Suppressions suppressions;
  private final CustomerService customers;
  private final EngagementCorrelator correlator;
  private final MessagingProperties properties;
  private final ObjectMapper objectMapper;
  private final MeterRegistry meters;
  private final Clock clock;
  private final boolean applyAfterRequest;
  private final ReentrantLock applying = new ReentrantLock();
  private final AtomicBoolean kicked = new AtomicBoolean();
  private final ExecutorService kicker = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "loyalflow-webhook-apply");
    thread.setDaemon(true);
    return thread;
  });
  private final ExecutorService waker = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "loyalflow-webhook-wake");
    thread.setDaemon(true);
    return thread;
  });

  ProviderEventApplier(JdbcTemplate jdbc, IdLookup ids, TransactionTemplate transactions, Suppressions suppressions,
      CustomerService customers, EngagementCorrelator correlator, MessagingProperties properties,
      ObjectMapper objectMapper, MeterRegistry meters, Clock clock,
      @Value("${loyalflow.messaging.webhooks.apply-after-request:true}") boolean applyAfterRequest) {
    this.jdbc = jdbc;
    this.ids = ids;
    this.transactions = transactions;
    this.suppressions = suppressions;
    this.customers = customers;
    this.correlator = correlator;
    this.properties = properties;
    this.objectMapper = objectMapper;
    this.meters = meters;
    this.clock = clock;
    this.applyAfterRequest = applyAfterRequest;
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

  @Scheduled(fixedDelayString = "${loyalflow.messaging.webhooks.sweep-interval:10s}",
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
      java.util.concurrent.Future<?> waking = null;
      while (true) {
        BatchResult batch = transactions.execute(tx -> applyBatch(properties.webhooks().applyBatchSize()));
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

  private static void finish(java.util.concurrent.Future<?> waking) {
    if (waking == null) {
      return;
    }
    try {
      waking.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("waking journeys failed", e.getCause());
    }
  }

  private record BatchResult(int events, List<Engagement> engagements) {
  }

  private record StoredEvent(long key, String source, String type, JsonNode payload) {
  }

  /** The delivery an event belongs to, locked for this batch, with what the batch changes. */
  private static final class DeliveryRow {
    final String id;
    DeliveryStatus status;
    final String processInstanceId;
    final Channel channel;
    final String address;
    boolean opened;
    boolean clicked;
    final boolean test;
    boolean changed;
    int opens;
    int machineOpens;
    int clicks;
    Instant firstOpened;
    Instant firstClicked;

    DeliveryRow(String id, DeliveryStatus status, String processInstanceId, Channel channel, String address,
        boolean opened, boolean clicked, boolean test) {
      this.id = id;
      this.status = status;
      this.processInstanceId = processInstanceId;
      this.channel = channel;
      this.address = address;
      this.opened = opened;
      this.clicked = clicked;
      this.test = test;
    }
  }

  private BatchResult applyBatch(int size) {
    List<StoredEvent> events = jdbc.query("select event_key, source, event_type, payload from provider_event "
            + "where applied_at is null order by event_key limit ? for update skip locked",
        (rs, row) -> new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), parse(rs.getString(4))), size);
    if (events.isEmpty()) {
      return new BatchResult(0, List.of());
    }
    Map<String, DeliveryRow> deliveries = loadDeliveries(events);
    Instant now = clock.instant();
    List<Object[]> deliveryEvents = new ArrayList<>();
    List<Object[]> outcomes = new ArrayList<>();
    List<Engagement> engagements = new ArrayList<>();
    for (StoredEvent event : events) {
      DeliveryRow delivery = deliveries.get(deliveryRef(event));
      if (delivery == null) {
        delivery = deliveries.get(providerMessageRef(event));
      }
      String outcome;
      try {
        outcome = switch (event.source()) {
          case ProviderEventStore.SENDGRID -> applySendGrid(event, delivery, deliveryEvents, engagements, now);
          case ProviderEventStore.TWILIO_STATUS -> applyTwilioStatus(event, delivery, deliveryEvents, engagements, now);
          case ProviderEventStore.TWILIO_INBOUND -> applyInbound(event);
          default -> "IGNORED";
        };
      } catch (RuntimeException e) {
        log.warn("Webhook event {} could not be applied", event.key(), e);
        outcome = "ERROR";
      }
      if ("UNKNOWN_MESSAGE".equals(outcome)) {
        log.warn("Webhook event {} ({} {}) names no delivery Loyalflow knows; stored and reported as UNKNOWN_MESSAGE",
            event.key(), event.source(), event.type());
      }
      meters.counter("loyalflow.webhooks.applied", "source", event.source().toLowerCase(Locale.ROOT), "outcome",
          outcome).increment();
      outcomes.add(new Object[] {utc(now), outcome, event.key()});
    }
    List<Object[]> updates = new ArrayList<>();
    for (DeliveryRow row : new java.util.LinkedHashSet<>(deliveries.values())) {
      if (row.changed) {
        updates.add(new Object[] {row.status.name(), row.opens, row.machineOpens, row.clicks, utc(row.firstOpened),
            utc(row.firstClicked), utc(now), row.id});
      }
    }
    if (!updates.isEmpty()) {
      jdbc.batchUpdate("update delivery set status = ?, opens = opens + ?, machine_opens = machine_opens + ?, "
          + "clicks = clicks + ?, first_opened_at = coalesce(first_opened_at, ?), "
          + "first_clicked_at = coalesce(first_clicked_at, ?), updated_at = ? where delivery_id = ?", updates);
    }
    if (!deliveryEvents.isEmpty()) {
      jdbc.batchUpdate("insert into delivery_event (delivery_id, kind, detail, occurred_at, recorded_at, message_name, "
          + "process_instance_id) values (?, ?, ?, ?, ?, ?, ?)", deliveryEvents);
    }
    jdbc.batchUpdate("update provider_event set applied_at = ?, outcome = ? where event_key = ?", outcomes);
    return new BatchResult(events.size(), latestOnly(engagements));
  }

  private String applySendGrid(StoredEvent event, DeliveryRow delivery, List<Object[]> deliveryEvents,
      List<Engagement> engagements, Instant now) {
    JsonNode e = event.payload();
    String type = text(e, "event");
    String email = text(e, "email");
    Instant occurred = e.hasNonNull("timestamp") ? Instant.ofEpochSecond(e.get("timestamp").asLong()) : now;
    String detail = firstText(e, "reason", "response", "url", "type");
    String source = "sendgrid:" + type;
    // Address-level effects hold whether or not Loyalflow knows the message.
    switch (type == null ? "" : type) {
      case "bounce" -> {
        if (!"blocked".equals(text(e, "type"))) {
          suppressions.suppress(Channel.EMAIL, email, SuppressionReason.HARD_BOUNCE, source);
        }
      }
      case "dropped" -> {
        SuppressionReason reason = droppedReason(text(e, "reason"));
        if (reason != null) {
          suppressions.suppress(Channel.EMAIL, email, reason, source);
        }
      }
      case "spamreport" -> optOut(Channel.EMAIL, email, SuppressionReason.SPAM_REPORT, source, occurred);
      case "unsubscribe", "group_unsubscribe" ->
          optOut(Channel.EMAIL, email, SuppressionReason.UNSUBSCRIBED, source, occurred);
      case "group_resubscribe" -> optIn(Channel.EMAIL, email, Set.of(SuppressionReason.UNSUBSCRIBED), source, occurred);
      default -> {
      }
    }
    if (delivery == null) {
      return "UNKNOWN_MESSAGE";
    }
    String message = null;
    String kind = type == null ? "unknown" : type;
    switch (kind) {
      case "processed" -> advance(delivery, DeliveryStatus.PROCESSED);
      case "deferred" -> advance(delivery, DeliveryStatus.DELAYED);
      case "delivered" -> advance(delivery, DeliveryStatus.DELIVERED);
      case "dropped" -> advance(delivery, DeliveryStatus.DROPPED);
      case "bounce" -> {
        advance(delivery, DeliveryStatus.BOUNCED);
        message = EngagementMessages.EMAIL_BOUNCED;
      }
      case "open" -> {
        boolean machine = e.path("sg_machine_open").asBoolean(false);
        if (machine && !properties.webhooks().countMachineOpens()) {
          kind = "machine_open";
          delivery.machineOpens++;
        } else {
          delivery.opens++;
          if (!delivery.opened) {
            delivery.opened = true;
            delivery.firstOpened = occurred;
            message = EngagementMessages.EMAIL_OPENED;
          }
        }
        delivery.changed = true;
      }
      case "click" -> {
        delivery.clicks++;
        if (!delivery.clicked) {
          delivery.clicked = true;
          delivery.firstClicked = occurred;
          message = EngagementMessages.EMAIL_CLICKED;
        }
        delivery.changed = true;
      }
      default -> {
      }
    }
    record(delivery, kind, detail, occurred, now, message, deliveryEvents, engagements);
    return "APPLIED";
  }

  private String applyTwilioStatus(StoredEvent event, DeliveryRow delivery, List<Object[]> deliveryEvents,
      List<Engagement> engagements, Instant now) {
    JsonNode e = event.payload();
    String status = text(e, "MessageStatus");
    String errorCode = text(e, "ErrorCode");
    String to = text(e, "To");
    if ("21610".equals(errorCode)) {
      optOut(Channel.SMS, to, SuppressionReason.STOPPED, "twilio:21610", now);
    } else if (errorCode != null && DEAD_NUMBER_CODES.contains(errorCode)) {
      suppressions.suppress(Channel.SMS, to, SuppressionReason.INVALID_NUMBER, "twilio:" + errorCode);
    }
    if (delivery == null) {
      return "UNKNOWN_MESSAGE";
    }
    String message = null;
    switch (status == null ? "" : status) {
      case "queued", "accepted", "scheduled", "sending", "sent" -> advance(delivery, DeliveryStatus.PROCESSED);
      case "delivered", "read" -> {
        if (advance(delivery, DeliveryStatus.DELIVERED)) {
          message = EngagementMessages.SMS_DELIVERED;
        }
      }
      case "undelivered", "failed", "canceled" -> {
        if (advance(delivery, DeliveryStatus.UNDELIVERED)) {
          message = EngagementMessages.SMS_FAILED;
        }
      }
      default -> {
      }
    }
    record(delivery, "sms_" + status, errorCode == null ? null : "error " + errorCode, now, now, message,
        deliveryEvents, engagements);
    return "APPLIED";
  }

  private String applyInbound(StoredEvent event) {
    JsonNode e = event.payload();
    String from = text(e, "From");
    String optOutType = text(e, "OptOutType");
    String word = text(e, "Body") == null ? "" : text(e, "Body").trim().toUpperCase(Locale.ROOT);
    Instant now = clock.instant();
    if ("STOP".equalsIgnoreCase(optOutType) || (optOutType == null && STOP_WORDS.contains(word))) {
      optOut(Channel.SMS, from, SuppressionReason.STOPPED, "twilio:STOP", now);
      return "OPTED_OUT";
    }
    if ("START".equalsIgnoreCase(optOutType) || (optOutType == null && START_WORDS.contains(word))) {
      // START is the number owner's latest word: it lifts their own opt-outs (a STOP, or the SMS unsubscribe link)
      optIn(Channel.SMS, from, Set.of(SuppressionReason.STOPPED, SuppressionReason.UNSUBSCRIBED), "twilio:START", now);
      return "OPTED_IN";
    }
    if ("HELP".equalsIgnoreCase(optOutType) || (optOutType == null && HELP_WORDS.contains(word))) {
      return "HELP";
    }
    return "REPLY";
  }

  private void optOut(Channel channel, String address, SuppressionReason reason, String source, Instant statedAt) {
    if (address == null) {
      return;
    }
    suppressions.suppress(channel, address, reason, source);
    customers.stateConsentByAddress(channel, address, ConsentStatus.OPTED_OUT, source, statedAt);
  }

  private void optIn(Channel channel, String address, Set<SuppressionReason> lifted, String source, Instant statedAt) {
    if (address == null) {
      return;
    }
    suppressions.lift(channel, address, lifted);
    customers.stateConsentByAddress(channel, address, ConsentStatus.OPTED_IN, source, statedAt);
  }

  /** Moves the delivery forward only: a late "processed" never undoes "delivered". True when it moved. */
  private static boolean advance(DeliveryRow delivery, DeliveryStatus next) {
    if (DeliveryStatus.AFTER_SEND.contains(delivery.status) && next.rank() > delivery.status.rank()) {
      delivery.status = next;
      delivery.changed = true;
      return true;
    }
    return false;
  }

  private static void record(DeliveryRow delivery, String kind, String detail, Instant occurred, Instant now,
      String message, List<Object[]> deliveryEvents, List<Engagement> engagements) {
    boolean wakes = message != null && delivery.processInstanceId != null && !delivery.test;
    deliveryEvents.add(new Object[] {delivery.id, kind, detail == null ? null : truncate(detail, 500), utc(occurred),
        utc(now), wakes ? message : null, wakes ? delivery.processInstanceId : null});
    if (wakes) {
      engagements.add(new Engagement(delivery.id, delivery.processInstanceId, message));
    }
  }

  /**
   * Only the journey's latest sent message of a channel wakes it; the others are recorded as
   * superseded. One query for the whole batch.
   */
  private List<Engagement> latestOnly(List<Engagement> engagements) {
    if (engagements.isEmpty()) {
      return engagements;
    }
    record Newest(String deliveryId, long seq) {
    }
    Map<String, Newest> latest = new HashMap<>();
    Map<String, String> channelOf = new HashMap<>();
    Set<String> processes = new java.util.HashSet<>();
    engagements.forEach(engagement -> processes.add(engagement.processInstanceId()));
    // one lookup gives every delivery of these journeys: their channels, and the newest sent one per channel
    ids.forEach("delivery", "process_instance_id", "delivery_id, channel, delivery_seq, status, test", processes, rs -> {
      channelOf.put(rs.getString(2), rs.getString(3));
      if (rs.getBoolean(6) || DeliveryStatus.NOT_SENT.contains(DeliveryStatus.valueOf(rs.getString(5)))) {
        return; // never sent: not a message the journey can be waiting on
      }
      latest.merge(rs.getString(1) + "|" + rs.getString(3), new Newest(rs.getString(2), rs.getLong(4)),
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
      jdbc.batchUpdate("update delivery_event set correlation = 'SUPERSEDED' where delivery_id = ? and message_name = ?",
          superseded);
    }
    return current;
  }

  private Map<String, DeliveryRow> loadDeliveries(List<StoredEvent> events) {
    Set<String> deliveryIds = new java.util.TreeSet<>();
    Set<String> messageIds = new java.util.TreeSet<>();
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
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        });
        rows.put(rs.getString(1), row);
      });
    }
    return rows;
  }

  private static DeliveryRow row(java.sql.ResultSet rs, int offset) throws java.sql.SQLException {
    return new DeliveryRow(rs.getString(offset + 1), DeliveryStatus.valueOf(rs.getString(offset + 2)),
        rs.getString(offset + 3), Channel.fromKey(rs.getString(offset + 4)), rs.getString(offset + 5),
        rs.getObject(offset + 6) != null, rs.getObject(offset + 7) != null, rs.getBoolean(offset + 8));
  }

  private static String deliveryRef(StoredEvent event) {
    return text(event.payload(), EmailMessage.DELIVERY_ID_ARG);
  }

  /** SendGrid's sg_message_id starts with the X-Message-Id it answered the send with; Twilio's is the MessageSid. */
  private static String providerMessageRef(StoredEvent event) {
    if (ProviderEventStore.SENDGRID.equals(event.source())) {
      String id = text(event.payload(), "sg_message_id");
      return id == null ? null : id.contains(".") ? id.substring(0, id.indexOf('.')) : id;
    }
    return text(event.payload(), "MessageSid");
  }

  private static SuppressionReason droppedReason(String reason) {
    if (reason == null) {
      return null;
    }
    String lower = reason.toLowerCase(Locale.ROOT);
    if (lower.contains("bounced address") || lower.contains("invalid")) {
      return SuppressionReason.HARD_BOUNCE;
    }
    if (lower.contains("spam reporting")) {
      return SuppressionReason.SPAM_REPORT;
    }
    if (lower.contains("unsubscribed")) {
      return SuppressionReason.UNSUBSCRIBED;
    }
    return null;
  }

  private JsonNode parse(String payload) {
    try {
      return objectMapper.readTree(payload);
    } catch (IOException e) {
      throw new IllegalStateException("stored event is not JSON", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
  }

  private static String firstText(JsonNode node, String... fields) {
    for (String field : fields) {
      String value = text(node, field);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max - 1) + "…";
  }


  @Override
  public void destroy() {
    kicker.shutdownNow();
    waker.shutdownNow();
  }
}
