package io.loyalflow.order;

import io.loyalflow.customer.CustomerOrigin;
import io.loyalflow.customer.CustomerService;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records orders exactly once. An order id already stored with the same content is "unchanged";
 * with other content it is a conflict and nothing changes. Customers an order names but Loyalflow
 * does not know yet are created bare. Everything of one batch commits together; when another
 * writer stores the same order or customer at the same moment, the batch is retried and then
 * sees that writer's result. The batch's new orders are published as one {@link OrdersRecorded}
 * in the same transaction (durably, through the event publication registry), so they reach
 * re-tiering and journeys exactly when they are stored, whichever path brought them.
 */
@Service
public class OrderIntake {

    private static final int ATTEMPTS = 3;

    private final OrderStore store;
    private final OrderRules rules;
    private final CustomerService customers;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    OrderIntake(
            OrderStore store,
            OrderRules rules,
            CustomerService customers,
            TransactionTemplate transactions,
            MeterRegistry meters,
            Clock clock,
            ApplicationEventPublisher events) {
        this.events = events;
        this.store = store;
        this.rules = rules;
        this.customers = customers;
        this.transactions = transactions;
        this.meters = meters;
        this.clock = clock;
    }

    public enum Outcome {
        CREATED,
        UNCHANGED,
        CONFLICT
    }

    /**
     * Whether a batch's new orders are published as {@link OrdersRecorded}: always, except for the
     * demo's history, loaded into an empty database before any campaign exists (the first segment
     * refresh tiers its customers in one set-based pass).
     */
    public enum Publication {
        PUBLISHED,
        UNPUBLISHED
    }

    /** What became of one order of a batch; {@code differences} explain a conflict. */
    public record Result(String orderId, Outcome outcome, List<FieldViolation> differences) {}

    public record BatchResult(List<Result> results, int customersCreated) {}

    public record Recorded(boolean created, OrderView order) {}

    /** One order from the API: 422 when invalid, 409 on conflict. */
    public Recorded record(OrderRequest request) {
        List<FieldViolation> violations = rules.check(request);
        if (!violations.isEmpty()) {
            count("api", "rejected", 1);
            throw Refusal.invalid(violations);
        }
        Result result = store(List.of(ValidOrder.of(request)), "api", CustomerOrigin.ORDER, null, Publication.PUBLISHED)
                .results()
                .get(0);
        if (result.outcome() == Outcome.CONFLICT) {
            throw Refusal.conflict(
                    "Order " + request.orderId()
                            + " was already recorded with different content; an order cannot be changed by sending it again.",
                    result.differences());
        }
        OrderView view = view(request.orderId());
        return new Recorded(result.outcome() == Outcome.CREATED, view);
    }

    public OrderView view(String orderId) {
        StoredOrder order = store.find(List.of(orderId)).get(orderId);
        if (order == null) {
            throw Refusal.notFound("No order " + orderId + ".");
        }
        return OrderView.of(order);
    }

    List<FieldViolation> check(OrderRequest request) {
        return rules.check(request);
    }

    /**
     * Stores a batch of valid orders in one transaction. {@code origin} and {@code timeZone} describe
     * customers created on the way.
     */
    public BatchResult store(
            List<ValidOrder> orders, String source, CustomerOrigin origin, String timeZone, Publication publication) {
        for (int attempt = 1; ; attempt++) {
            try {
                BatchResult result = transactions.execute(tx -> storeOnce(orders, origin, timeZone, publication));
                Map<Outcome, Long> outcomes = new HashMap<>();
                result.results().forEach(r -> outcomes.merge(r.outcome(), 1L, Long::sum));
                outcomes.forEach((outcome, n) -> count(source, outcome.name().toLowerCase(Locale.ROOT), n));
                return result;
            } catch (DuplicateKeyException raced) {
                if (attempt == ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    private BatchResult storeOnce(
            List<ValidOrder> orders, CustomerOrigin origin, String timeZone, Publication publication) {
        Map<String, ValidOrder> firstById = new LinkedHashMap<>();
        for (ValidOrder order : orders) {
            firstById.putIfAbsent(order.orderId(), order);
        }
        Map<String, String> storedFingerprints = store.fingerprints(firstById.keySet());
        List<ValidOrder> fresh = new ArrayList<>();
        Set<String> conflicting = new LinkedHashSet<>();
        for (ValidOrder order : firstById.values()) {
            String stored = storedFingerprints.get(order.orderId());
            if (stored == null) {
                fresh.add(order);
            } else if (!stored.equals(order.fingerprint())) {
                conflicting.add(order.orderId());
            }
        }
        int customersCreated = 0;
        if (!fresh.isEmpty()) {
            Set<String> customerIds = new LinkedHashSet<>();
            fresh.forEach(order -> customerIds.add(order.customerId()));
            var ensured = customers.ensureCustomers(customerIds, origin, timeZone);
            customersCreated = ensured.created();
            Instant now = clock.instant();
            store.insert(fresh, ensured.keys(), now);
            if (publication == Publication.PUBLISHED) {
                events.publishEvent(new OrdersRecorded(
                        now,
                        fresh.stream()
                                .map(order -> new OrdersRecorded.Order(
                                        order.orderId(),
                                        ensured.keys().get(order.customerId()),
                                        order.placedAt(),
                                        order.cartId()))
                                .toList()));
            }
        }
        Map<String, StoredOrder> storedConflicts = store.find(conflicting);
        Set<String> freshIds = new LinkedHashSet<>();
        fresh.forEach(order -> freshIds.add(order.orderId()));
        List<Result> results = new ArrayList<>(orders.size());
        for (ValidOrder order : orders) {
            ValidOrder first = firstById.get(order.orderId());
            if (first != order) {
                // the same id earlier in this batch decides
                results.add(
                        first.fingerprint().equals(order.fingerprint())
                                ? new Result(order.orderId(), Outcome.UNCHANGED, List.of())
                                : new Result(order.orderId(), Outcome.CONFLICT, differences(first, order)));
            } else if (freshIds.contains(order.orderId())) {
                results.add(new Result(order.orderId(), Outcome.CREATED, List.of()));
            } else if (conflicting.contains(order.orderId())) {
                results.add(new Result(
                        order.orderId(), Outcome.CONFLICT, differences(storedConflicts.get(order.orderId()), order)));
            } else {
                results.add(new Result(order.orderId(), Outcome.UNCHANGED, List.of()));
            }
        }
        return new BatchResult(results, customersCreated);
    }

    private static List<FieldViolation> differences(StoredOrder stored, ValidOrder received) {
        return differences(
                new ValidOrder(
                        stored.orderId(),
                        stored.customerId(),
                        stored.placedAt(),
                        stored.amount(),
                        stored.currency(),
                        stored.items(),
                        stored.cartId(),
                        stored.fingerprint()),
                received);
    }

    private static List<FieldViolation> differences(ValidOrder recorded, ValidOrder received) {
        List<FieldViolation> differences = new ArrayList<>();
        if (!Objects.equals(recorded.customerId(), received.customerId())) {
            differences.add(differ(
                    "customerId",
                    recorded.customerId() == null ? "(an erased customer)" : recorded.customerId(),
                    received.customerId()));
        }
        if (!recorded.placedAt().equals(received.placedAt())) {
            differences.add(differ("placedAt", recorded.placedAt(), received.placedAt()));
        }
        if (recorded.amount().compareTo(received.amount()) != 0) {
            differences.add(differ("amount", plain(recorded.amount()), plain(received.amount())));
        }
        if (!recorded.currency().equals(received.currency())) {
            differences.add(differ("currency", recorded.currency(), received.currency()));
        }
        if (!sameItems(recorded.items(), received.items())) {
            differences.add(new FieldViolation("items", "differs from the recorded items"));
        }
        if (!Objects.equals(recorded.cartId(), received.cartId())) {
            differences.add(differ(
                    "cartId",
                    recorded.cartId() == null ? "(none)" : recorded.cartId(),
                    received.cartId() == null ? "(none)" : received.cartId()));
        }
        return differences;
    }

    private static boolean sameItems(List<ValidOrder.Item> a, List<ValidOrder.Item> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            ValidOrder.Item x = a.get(i);
            ValidOrder.Item y = b.get(i);
            if (!x.sku().equals(y.sku())
                    || x.quantity() != y.quantity()
                    || x.unitPrice().compareTo(y.unitPrice()) != 0
                    || !Objects.equals(x.category(), y.category())) {
                return false;
            }
        }
        return true;
    }

    private static FieldViolation differ(String field, Object recorded, Object received) {
        return new FieldViolation(field, "recorded " + recorded + ", received " + received);
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    void count(String source, String outcome, long n) {
        meters.counter("loyalflow.orders", "source", source, "outcome", outcome).increment(n);
    }
}
