package io.loyalflow.journey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.CustomerErased;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.platform.web.ApiProblemException;
import io.loyalflow.platform.web.Violations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Events other services report about a customer ({@code SurveyAnswered}, ...). Each wakes the
 * customer's journeys, and the follow-up scenarios they started, that wait for the message
 * {@code Msg_<type>}. The event is stored and the journeys move in one transaction, so a retried
 * request (same event id) wakes nobody twice and a failed one leaves nothing behind.
 */
@Service
public class CustomerEvents {

  public static final String MESSAGE_PREFIX = "Msg_";
  /** The variable a woken journey gets: which event woke it. */
  public static final String EVENT_ID_VARIABLE = "customerEventId";

  static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z0-9]{0,59}");
  private static final Pattern EVENT_ID = Pattern.compile("[^\\p{Cntrl}]{1,100}");
  private static final int MAX_DATA = 16_000;
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final int ATTEMPTS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcTemplate jdbc;
  private final RuntimeService runtime;
  private final TransactionTemplate transactions;
  private final Clock clock;

  CustomerEvents(JdbcTemplate jdbc, RuntimeService runtime, TransactionTemplate transactions, Clock clock) {
    this.jdbc = jdbc;
    this.runtime = runtime;
    this.transactions = transactions;
    this.clock = clock;
  }

  public record EventRequest(String eventId, String type, OffsetDateTime occurredAt, JsonNode data) {
  }

  /** What became of an event; {@code created} is false for a repeat of an event already taken. */
  public record Recorded(boolean created, String customerId, String eventId, String type, Instant occurredAt,
      String message, List<String> wokeJourneys) {
  }

  public Recorded record(String customerId, EventRequest request) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Violations violations = new Violations();
    String eventId = request.eventId() == null ? UUID.randomUUID().toString() : request.eventId().trim();
    if (!EVENT_ID.matcher(eventId).matches()) {
      violations.add("eventId", "must be 1 to 100 characters without control characters");
    }
    if (request.type() == null || request.type().isBlank()) {
      violations.add("type", "is required: the event's name in PascalCase, e.g. SurveyAnswered; journeys wait for "
          + "it as the message Msg_<type>");
    } else if (!TYPE.matcher(request.type()).matches()) {
      violations.add("type", "must be PascalCase letters and digits (at most 60), e.g. SurveyAnswered; got \""
          + request.type() + "\"");
    }
    Instant occurredAt = request.occurredAt() == null ? now
        : request.occurredAt().toInstant().truncatedTo(ChronoUnit.MICROS);
    if (occurredAt.isAfter(now.plus(CLOCK_SKEW))) {
      violations.add("occurredAt", "must not be in the future");
    }
    String data = null;
    if (request.data() != null && !request.data().isNull()) {
      if (!request.data().isObject()) {
        violations.add("data", "must be a JSON object");
      } else {
        data = write(request.data());
        if (data.length() > MAX_DATA) {
          violations.add("data", "must not exceed " + MAX_DATA + " characters as JSON");
        }
      }
    }
    violations.throwIfAny();
    String json = data;
    for (int attempt = 1; ; attempt++) {
      try {
        return transactions.execute(tx -> store(customerId, eventId, request.type(), occurredAt, json, now));
      } catch (OptimisticLockingException | DuplicateKeyException e) {
        // A journey moved at the same moment, or the same event arrived twice at once: the retry sees
        // the journey's new state, or the event the other request stored.
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private Recorded store(String customerId, String eventId, String type, Instant occurredAt, String data,
      Instant now) {
    Long customerKey = jdbc.query("select customer_key from customer where customer_id = ?",
        rs -> rs.next() ? rs.getLong(1) : null, customerId);
    if (customerKey == null) {
      throw ApiProblemException.notFound("No customer " + customerId);
    }
    Optional<Recorded> earlier = find(customerKey, customerId, eventId);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    jdbc.update("insert into customer_event (customer_key, event_id, event_type, occurred_at, received_at, data, "
            + "woke) values (?, ?, ?, ?, ?, ?, '')", customerKey, eventId, type, Timestamps.utc(occurredAt),
        Timestamps.utc(now), data);
    String message = MESSAGE_PREFIX + type;
    List<String> woke = new ArrayList<>();
    for (String instance : journeys(customerKey)) {
      woke.addAll(runtime.createMessageCorrelation(message).processInstanceId(instance)
          .setVariable(EVENT_ID_VARIABLE, Variables.stringValue(eventId)).correlateAllWithResult().stream()
          .map(result -> result.getExecution().getProcessInstanceId()).distinct().toList());
    }
    jdbc.update("update customer_event set woke = ? where customer_key = ? and event_id = ?", String.join(",", woke),
        customerKey, eventId);
    return new Recorded(true, customerId, eventId, type, occurredAt, message, woke);
  }

  /**
   * The running journeys of the customer and the scenarios they started: every process instance
   * with the business key of one of the customer's enrollments. By instance id, so the message
   * never starts a process that happens to begin with it.
   */
  private Set<String> journeys(long customerKey) {
    Set<String> instances = new LinkedHashSet<>();
    List<String> businessKeys = jdbc.queryForList("select distinct business_key from campaign_enrollment "
        + "where customer_key = ?", String.class, customerKey);
    for (String businessKey : businessKeys) {
      runtime.createProcessInstanceQuery().processInstanceBusinessKey(businessKey).list().stream()
          .map(ProcessInstance::getId).forEach(instances::add);
    }
    return instances;
  }

  private Optional<Recorded> find(long customerKey, String customerId, String eventId) {
    return jdbc.query("select event_type, occurred_at, woke from customer_event where customer_key = ? "
        + "and event_id = ?", rs -> rs.next()
            ? Optional.of(new Recorded(false, customerId, eventId, rs.getString(1),
                Timestamps.instant(rs, "occurred_at"), MESSAGE_PREFIX + rs.getString(1), rs.getString(3).isEmpty() ? List.of()
                    : Arrays.asList(rs.getString(3).split(","))))
            : Optional.empty(), customerKey, eventId);
  }

  @EventListener
  void erase(CustomerErased erased) {
    jdbc.update("update customer_event set data = null where customer_key = ?", erased.customerKey());
  }

  private static String write(JsonNode data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
