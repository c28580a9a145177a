package io.loyalflow.cart;

import io.loyalflow.customer.CustomerErased;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Right to erasure: the customer's carts (items, links) go in the erasing transaction. */
@Component
class CartErasure {

    private final CartStore store;

    CartErasure(CartStore store) {
        this.store = store;
    }

    @EventListener
    void erase(CustomerErased erased) {
        store.deleteOfCustomer(erased.customerKey());
    }
}
