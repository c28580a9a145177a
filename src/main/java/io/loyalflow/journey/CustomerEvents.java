package io.loyalflow.journey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.CustomerErased;
import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Events other services report about a customer ({@code SurveyAnswered}, ...). Each wakes the
 * customer's journeys, and the follow-up scenarios they started, that wait for the message
 * {@code Msg_<type>}. The event is stored and the waiting journeys move in one transaction, so a
 * retried request (same event id) wakes nobody twice and a failed one leaves nothing behind.
 *
 * <p>An event no journey waits for yet is kept: when one of the customer's journeys (or scenarios)
 * reaches a wait for its type later, it receives the earliest such event it has not received yet
 * (see {@link CustomerEventWaits}), as long as the event is no older than
 * {@code loyalflow.customer-events.max-age}. An event that occurred before the journey (or scenario)
 * started does not count for it: it cannot answer what the journey asked. Each event reaches each
 * process instance at most once (receipts {@code customer-event:<key>}); {@code woke} lists them.
 * Both paths lock the customer's row, so an event arriving while a journey starts to wait is
 * delivered by one or the other, never lost between them.
 */
@Service
public class CustomerEvents {

    public static final String MESSAGE_PREFIX = "Msg_";

    static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z0-9]{0,59}");
    private static final Pattern EVENT_ID = Pattern.compile("[^\\p{Cntrl}]{1,100}");
    private static final int MAX_DATA = 16_000;
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final int ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String CATCH_UP_LISTENER_ID = "journey.customer-event-catch-up";
    private static final int MAX_WOKE = 4000;

    private final JdbcTemplate jdbc;
    private final RuntimeService runtime;
    private final HistoryService history;
    private final TransactionTemplate transactions;
    private final JourneyFacts facts;
    private final CustomerEventProperties properties;
    private final Clock clock;
    private final CustomerQueries customers;
    private final AdvocateEntry advocates;

    CustomerEvents(
            JdbcTemplate jdbc,
            RuntimeService runtime,
            HistoryService history,
            TransactionTemplate transactions,
            JourneyFacts facts,
            CustomerEventProperties properties,
            Clock clock,
            CustomerQueries customers,
            AdvocateEntry advocates) {
        this.customers = customers;
        this.advocates = advocates;
        this.jdbc = jdbc;
        this.runtime = runtime;
        this.history = history;
        this.transactions = transactions;
        this.facts = facts;
        this.properties = properties;
        this.clock = clock;
    }

    public record EventRequest(String eventId, String type, OffsetDateTime occurredAt, JsonNode data) {}

    /** What became of an event; {@code created} is false for a repeat of an event already taken. */
    public record Recorded(
            boolean created,
            String customerId,
            String eventId,
            String type,
            Instant occurredAt,
            String message,
            List<String> wokeJourneys,
            List<String> startedJourneys,
            String note) {}

    public Recorded record(String customerId, EventRequest request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Violations violations = new Violations();
        String eventId = request.eventId() == null
                ? UUID.randomUUID().toString()
                : request.eventId().trim();
        if (!EVENT_ID.matcher(eventId).matches()) {
            violations.add("eventId", "must be 1 to 100 characters without control characters");
        }
        if (request.type() == null || request.type().isBlank()) {
            violations.add(
                    "type",
                    "is required: the event's name in PascalCase, e.g. SurveyAnswered; journeys wait for "
                            + "it as the message Msg_<type>");
        } else if (!TYPE.matcher(request.type()).matches()) {
            violations.add(
                    "type",
                    "must be PascalCase letters and digits (at most 60), e.g. SurveyAnswered; got \"" + request.type()
                            + "\"");
        }
        Instant occurredAt = request.occurredAt() == null
                ? now
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
        JsonNode parsed = data == null ? null : request.data();
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(
                        tx -> store(customerId, eventId, request.type(), occurredAt, json, parsed, now));
            } catch (OptimisticLockingException | DuplicateKeyException e) {
                // A journey moved at the same moment, or the same event arrived twice at once: the retry sees
                // the journey's new state, or the event the other request stored.
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Recorded store(
            String customerId,
            String eventId,
            String type,
            Instant occurredAt,
            String data,
            JsonNode parsed,
            Instant now) {
        // locked: a journey starting to wait for this type at the same moment catches the event up after us
        Long customerKey = customers.lockById(customerId).orElse(null);
        if (customerKey == null) {
            throw Refusal.notFound("No customer " + customerId);
        }
        Optional<Recorded> earlier = find(customerKey, customerId, eventId);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        jdbc.update(
                "insert into customer_event (customer_key, event_id, event_type, occurred_at, received_at, data, "
                        + "woke) values (?, ?, ?, ?, ?, ?, '')",
                customerKey,
                eventId,
                type,
                Timestamps.utc(occurredAt),
                Timestamps.utc(now),
                data);
        long eventKey = jdbc.queryForObject(
                "select event_key from customer_event where customer_key = ? and event_id = ?",
                Long.class,
                customerKey,
                eventId);
        String message = MESSAGE_PREFIX + type;
        List<String> woke = new ArrayList<>();
        for (String instance : journeys(customerKey)) {
            if (startedAfter(instance, occurredAt)) {
                continue;
            }
            if (deliver(instance, message, eventId, eventKey)) {
                woke.add(instance);
            }
        }
        jdbc.update("update customer_event set woke = ? where event_key = ?", String.join(",", woke), eventKey);
        // after waking: a journey this event starts does not wait for the event that started it
        AdvocateEntry.Started started = advocates.enter(customerKey, customerId, eventKey, eventId, type, parsed);
        return new Recorded(
                true, customerId, eventId, type, occurredAt, message, woke, started.journeys(), started.note());
    }

    /**
     * A journey (or scenario) started to wait for customer events: the earliest stored event of an
     * awaited type that it has not received, occurred since it started and no older than the maximum
     * age, is delivered to it now.
     */
    @ApplicationModuleListener(id = CATCH_UP_LISTENER_ID)
    void catchUp(CustomerEventAwaited awaited) {
        List<Long> owners = jdbc.queryForList(
                "select customer_key from campaign_enrollment where business_key = ?",
                Long.class,
                awaited.businessKey());
        if (owners.isEmpty()) {
            return;
        }
        long customerKey = owners.get(0);
        customers.lockByKey(customerKey);
        Optional<Instant> started = startTime(awaited.processInstanceId());
        if (started.isEmpty()) {
            return; // ended meanwhile
        }
        Instant since = started.get();
        Instant oldest = clock.instant().minus(properties.maxAge());
        if (oldest.isAfter(since)) {
            since = oldest;
        }
        String types = String.join(", ", Collections.nCopies(awaited.types().size(), "?"));
        List<Object> arguments = new ArrayList<>();
        arguments.add(customerKey);
        arguments.add(Timestamps.utc(since));
        arguments.addAll(awaited.types());
        List<Map<String, Object>> candidates = jdbc.queryForList(
                "select event_key, event_id, event_type from "
                        + "customer_event where customer_key = ? and occurred_at >= ? and event_type in (" + types
                        + ") "
                        + "order by occurred_at, event_key",
                arguments.toArray());
        for (Map<String, Object> event : candidates) {
            long eventKey = ((Number) event.get("event_key")).longValue();
            if (facts.received(awaited.processInstanceId(), fact(eventKey))) {
                continue;
            }
            if (deliver(
                    awaited.processInstanceId(),
                    MESSAGE_PREFIX + event.get("event_type"),
                    (String) event.get("event_id"),
                    eventKey)) {
                jdbc.update(
                        "update customer_event set woke = case when woke = '' then ? else woke || ',' || ? end "
                                + "where event_key = ? and length(woke) + 65 <= " + MAX_WOKE,
                        awaited.processInstanceId(),
                        awaited.processInstanceId(),
                        eventKey);
                return; // it waits no more; a later wait catches up the next event
            }
        }
    }

    /** Sends the event's message to the instance; when it was waiting, records the receipt. */
    private boolean deliver(String processInstanceId, String message, String eventId, long eventKey) {
        boolean woke = !runtime.createMessageCorrelation(message)
                .processInstanceId(processInstanceId)
                .setVariable(
                        JourneyVariables.CUSTOMER_EVENT_ID.name(), JourneyVariables.CUSTOMER_EVENT_ID.value(eventId))
                .correlateAllWithResult()
                .isEmpty();
        if (woke) {
            facts.receive(processInstanceId, fact(eventKey));
        }
        return woke;
    }

    private static String fact(long eventKey) {
        return "customer-event:" + eventKey;
    }

    /** When the process instance started; empty once it has ended (or history keeps no record of it). */
    private Optional<Instant> startTime(String processInstanceId) {
        HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery()
                .processInstanceId(processInstanceId)
                .unfinished()
                .singleResult();
        return Optional.ofNullable(instance).map(i -> i.getStartTime().toInstant());
    }

    private boolean startedAfter(String processInstanceId, Instant occurredAt) {
        HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery()
                .processInstanceId(processInstanceId)
                .singleResult();
        return instance != null && instance.getStartTime().toInstant().isAfter(occurredAt);
    }

    /**
     * The running journeys of the customer and the scenarios they started: every process instance
     * with the business key of one of the customer's enrollments. By instance id, so the message
     * never starts a process that happens to begin with it.
     */
    private Set<String> journeys(long customerKey) {
        Set<String> instances = new LinkedHashSet<>();
        List<String> businessKeys = jdbc.queryForList(
                "select distinct business_key from campaign_enrollment " + "where customer_key = ?",
                String.class,
                customerKey);
        for (String businessKey : businessKeys) {
            runtime.createProcessInstanceQuery().processInstanceBusinessKey(businessKey).list().stream()
                    .map(ProcessInstance::getId)
                    .forEach(instances::add);
        }
        return instances;
    }

    /**
     * The data a stored event of the customer carried (its id and type as reported); empty when there is no such
     * event or its data were erased with the customer's personal data.
     */
    Optional<JsonNode> storedData(String customerId, String eventId, String type) {
        if (customerId == null || eventId == null) {
            return Optional.empty();
        }
        List<String> data = jdbc.queryForList(
                "select e.data from customer_event e join v_customer c on c.customer_key = e.customer_key "
                        + "where c.customer_id = ? and e.event_id = ? and e.event_type = ?",
                String.class,
                customerId,
                eventId,
                type);
        if (data.isEmpty() || data.get(0) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(data.get(0)));
        } catch (JsonProcessingException e) {
            return Optional.empty(); // stored here as a JSON object; never expected
        }
    }

    private Optional<Recorded> find(long customerKey, String customerId, String eventId) {
        return jdbc.query(
                "select event_key, event_type, occurred_at, woke, data from customer_event where customer_key = ? "
                        + "and event_id = ?",
                rs -> {
                    if (!rs.next()) {
                        return Optional.<Recorded>empty();
                    }
                    String type = rs.getString("event_type");
                    AdvocateEntry.Started started = advocates.startedBefore(
                            customerKey, rs.getLong("event_key"), type, read(rs.getString("data")));
                    String woke = rs.getString("woke");
                    return Optional.of(new Recorded(
                            false,
                            customerId,
                            eventId,
                            type,
                            Timestamps.instant(rs, "occurred_at"),
                            MESSAGE_PREFIX + type,
                            woke.isEmpty() ? List.of() : Arrays.asList(woke.split(",")),
                            started.journeys(),
                            started.note()));
                },
                customerKey,
                eventId);
    }

    private static JsonNode read(String data) {
        if (data == null) {
            return null; // none given, or erased
        }
        try {
            return JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
