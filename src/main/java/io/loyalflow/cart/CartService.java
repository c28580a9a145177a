package io.loyalflow.cart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.CustomerOrigin;
import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.customer.CustomerService;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps carts as the shops send them. A change applies only when it is newer than the stored state
 * (shops deliver out of order); everything of one change (a bare customer created for an unknown
 * customer id, the cart row with its new version and its pending mark for journeys) commits together.
 * Two writers of the same new cart or customer at once: the loser's transaction is retried and then
 * sees the winner's row.
 */
@Service
public class CartService {

    private static final int ATTEMPTS = 5;

    private final CartStore store;
    private final CartRules rules;
    private final CustomerService customers;
    private final CustomerQueries customerQueries;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Clock clock;
    private final Counter applied;
    private final Counter ignored;
    private final Counter rejected;

    CartService(
            CartStore store,
            CartRules rules,
            CustomerService customers,
            CustomerQueries customerQueries,
            TransactionTemplate transactions,
            ObjectMapper json,
            Clock clock,
            MeterRegistry meters) {
        this.store = store;
        this.rules = rules;
        this.customers = customers;
        this.customerQueries = customerQueries;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
        this.applied = Counter.builder("loyalflow.carts.changes")
                .tag("outcome", "applied")
                .description("Cart changes from shops, by outcome")
                .register(meters);
        this.ignored = Counter.builder("loyalflow.carts.changes")
                .tag("outcome", "not-newer")
                .description("Cart changes from shops, by outcome")
                .register(meters);
        this.rejected = Counter.builder("loyalflow.carts.changes")
                .tag("outcome", "rejected")
                .description("Cart changes from shops, by outcome")
                .register(meters);
    }

    /**
     * What became of a change: whether it applied, and the cart as stored afterwards.
     *
     * @param itemCount lines in the stored cart
     */
    public record Answer(
            String cartId, boolean applied, CartStatus status, long version, Instant updatedAt, int itemCount) {}

    /** The shop's whole cart ({@code PUT}); an empty item list clears it. */
    public Answer update(String cartId, CartRequest request) {
        refuseIfInvalid(rules.check(cartId, request));
        Contents contents = contents(request);
        return apply(() -> contents.change(cartId, request, customerKeys(Set.of(request)), clock.instant()));
    }

    /**
     * Many carts' states ({@code POST /api/carts/updates}): all checked first (a fault anywhere refuses the
     * whole request, naming {@code updates[i].field}, and stores nothing), then applied in their order in one
     * transaction, bare customers created in one statement. One commit for up to {@value CartUpdates#MAX_UPDATES}
     * updates is what lets a shop's relay pass thousands of clicks a second.
     */
    public List<Answer> updateAll(CartUpdates batch) {
        List<CartUpdates.Update> updates = batch == null ? null : batch.updates();
        if (updates == null || updates.isEmpty() || updates.size() > CartUpdates.MAX_UPDATES) {
            rejected.increment();
            throw Refusal.invalid("updates", "must hold 1 to " + CartUpdates.MAX_UPDATES + " cart updates");
        }
        List<FieldViolation> faults = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            String prefix = "updates[" + i + "]";
            CartUpdates.Update update = updates.get(i);
            if (update == null) {
                faults.add(new FieldViolation(prefix, "must not be null"));
                continue;
            }
            for (FieldViolation fault : rules.check(update.cartId(), update.request())) {
                String field = fault.field().isEmpty() ? prefix : prefix + "." + fault.field();
                faults.add(new FieldViolation(field, fault.message()));
            }
        }
        refuseIfInvalid(faults);
        List<CartRequest> requests =
                updates.stream().map(CartUpdates.Update::request).toList();
        List<Contents> contents = requests.stream().map(this::contents).toList();
        return applyAll(() -> {
            Map<String, Long> keys = customerKeys(requests);
            Instant now = clock.instant();
            List<CartStore.Change> changes = new ArrayList<>(updates.size());
            for (int i = 0; i < updates.size(); i++) {
                changes.add(contents.get(i).change(updates.get(i).cartId(), requests.get(i), keys, now));
            }
            return changes;
        });
    }

    /** What a PUT stores, prepared outside the transaction. */
    private record Contents(String itemsJson, int itemCount, BigDecimal total, Instant at) {

        CartStore.Change change(String cartId, CartRequest request, Map<String, Long> customerKeys, Instant now) {
            return new CartStore.Change(
                    CartStore.Kind.UPDATE,
                    cartId,
                    request.customerId() == null ? null : customerKeys.get(request.customerId()),
                    itemCount == 0 ? CartStatus.CLEARED : CartStatus.ACTIVE,
                    at,
                    request.currency(),
                    itemsJson,
                    itemCount,
                    total,
                    request.cartUrl(),
                    null,
                    now);
        }
    }

    private Contents contents(CartRequest request) {
        List<CartItem> items = request.items().stream()
                .map(item -> new CartItem(
                        item.sku(),
                        item.name(),
                        item.quantity(),
                        item.unitPrice(),
                        item.category(),
                        item.productUrl(),
                        item.imageUrl()))
                .toList();
        BigDecimal total = items.stream()
                .map(item -> item.unitPrice().multiply(BigDecimal.valueOf(item.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        String itemsJson = items.isEmpty() ? CartStore.EMPTY_ITEMS : write(items);
        return new Contents(itemsJson, items.size(), total, shopTime(request.updatedAt()));
    }

    /** The keys of the customers the requests name, bare customers created for those not known yet. */
    private Map<String, Long> customerKeys(java.util.Collection<CartRequest> requests) {
        Set<String> ids = new java.util.TreeSet<>();
        requests.forEach(request -> {
            if (request.customerId() != null) {
                ids.add(request.customerId());
            }
        });
        return ids.isEmpty()
                ? Map.of()
                : customers.ensureCustomers(ids, CustomerOrigin.CART, null).keys();
    }

    /** The shop cleared the cart. */
    public Answer cleared(String cartId, CartMoment request) {
        refuseIfInvalid(rules.check(cartId, request, request == null ? null : request.at()));
        return apply(() -> event(CartStore.Kind.CLEARED, cartId, CartStatus.CLEARED, shopTime(request.at()), null));
    }

    /** The customer started the checkout. */
    public Answer checkoutStarted(String cartId, CartMoment request) {
        refuseIfInvalid(rules.check(cartId, request, request == null ? null : request.at()));
        return apply(() ->
                event(CartStore.Kind.CHECKOUT_STARTED, cartId, CartStatus.CHECKOUT, shopTime(request.at()), null));
    }

    /** The checkout completed: the cart is converted (whatever its time, unless it already was). */
    public Answer checkoutCompleted(String cartId, CheckoutCompleted request) {
        refuseIfInvalid(rules.check(cartId, request, request == null ? null : request.at()));
        return apply(() -> event(
                CartStore.Kind.CONVERTED, cartId, CartStatus.CONVERTED, shopTime(request.at()), request.orderId()));
    }

    /** The stored cart, 404 when there is none. */
    public CartView view(String cartId) {
        CartStore.StoredCart cart = store.stored(cartId).orElseThrow(() -> Refusal.notFound("No cart " + cartId + "."));
        String customerId = cart.customerKey() == null
                ? null
                : customerQueries.idOf(cart.customerKey()).orElse(null);
        return new CartView(
                cart.cartId(),
                customerId,
                cart.status(),
                cart.version(),
                cart.updatedAt(),
                cart.currency(),
                read(cart.items()),
                cart.itemCount(),
                cart.total(),
                cart.cartUrl(),
                cart.orderId(),
                cart.createdAt(),
                cart.changedAt());
    }

    private CartStore.Change event(CartStore.Kind kind, String cartId, CartStatus status, Instant at, String orderId) {
        return new CartStore.Change(
                kind,
                cartId,
                null,
                status,
                at,
                null,
                CartStore.EMPTY_ITEMS,
                0,
                BigDecimal.ZERO,
                null,
                orderId,
                clock.instant());
    }

    private Answer apply(Supplier<CartStore.Change> change) {
        return applyAll(() -> List.of(change.get())).get(0);
    }

    /** The changes in one transaction, in their order; repeated whole when a concurrent writer won a race. */
    private List<Answer> applyAll(Supplier<List<CartStore.Change>> changes) {
        for (int attempt = 1; ; attempt++) {
            try {
                List<CartStore.Applied> results = transactions.execute(
                        tx -> changes.get().stream().map(store::apply).toList());
                List<Answer> answers = new ArrayList<>(results.size());
                for (CartStore.Applied result : results) {
                    (result.applied() ? applied : ignored).increment();
                    CartChange state = result.state();
                    answers.add(new Answer(
                            state.cartId(),
                            result.applied(),
                            state.status(),
                            state.version(),
                            state.updatedAt(),
                            state.itemCount()));
                }
                return answers;
            } catch (DuplicateKeyException | ConcurrencyFailureException raced) {
                if (attempt == ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    /** Microseconds, as the database stores them: a repeat compares equal to what was stored. */
    private static Instant shopTime(OffsetDateTime time) {
        return time.toInstant().truncatedTo(ChronoUnit.MICROS);
    }

    private void refuseIfInvalid(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            rejected.increment();
            throw Refusal.invalid(violations);
        }
    }

    private String write(List<CartItem> items) {
        try {
            return json.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cart items could not be written as JSON", e);
        }
    }

    List<CartItem> read(String items) {
        try {
            return List.of(json.readValue(items, CartItem[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored cart items are not readable", e);
        }
    }
}
