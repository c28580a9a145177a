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
import java.util.List;
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
        Instant at = shopTime(request.updatedAt());
        return apply(() -> {
            Long customerKey = request.customerId() == null
                    ? null
                    : customers
                            .ensureCustomers(Set.of(request.customerId()), CustomerOrigin.CART, null)
                            .keys()
                            .get(request.customerId());
            return new CartStore.Change(
                    CartStore.Kind.UPDATE,
                    cartId,
                    customerKey,
                    items.isEmpty() ? CartStatus.CLEARED : CartStatus.ACTIVE,
                    at,
                    request.currency(),
                    itemsJson,
                    items.size(),
                    total,
                    request.cartUrl(),
                    null,
                    clock.instant());
        });
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
        for (int attempt = 1; ; attempt++) {
            try {
                CartStore.Applied result = transactions.execute(tx -> store.apply(change.get()));
                (result.applied() ? applied : ignored).increment();
                CartChange state = result.state();
                return new Answer(
                        state.cartId(),
                        result.applied(),
                        state.status(),
                        state.version(),
                        state.updatedAt(),
                        state.itemCount());
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
