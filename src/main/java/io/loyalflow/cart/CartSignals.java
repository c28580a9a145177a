package io.loyalflow.cart;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The journeys' outbox of cart changes: every accepted change marks its cart pending in the statement that
 * makes it, so no change is lost, and many changes of one cart before journeys look coalesce into one
 * signal with the latest state.
 */
@Service
public class CartSignals {

    private final CartStore store;

    CartSignals(CartStore store) {
        this.store = store;
    }

    /** Cart ids whose latest version journeys have not handled yet, oldest change first (no lock). */
    public List<String> pending(int limit) {
        return store.pending(limit);
    }

    /**
     * In the caller's transaction: locks the cart row if still pending (PostgreSQL: {@code for update skip
     * locked}; H2: {@code for update}) and returns its latest state; empty when another node holds it or
     * nothing is pending.
     */
    public Optional<CartChange> lockPending(String cartId) {
        return store.lockPending(cartId);
    }

    /** In the caller's transaction: journeys have handled this version (later versions stay pending). */
    public void handled(String cartId, long version) {
        store.handled(cartId, version);
    }
}
