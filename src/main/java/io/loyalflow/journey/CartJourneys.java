package io.loyalflow.journey;

/** Placeholder until the cart module's API is merged. */
class CartJourneys {

    static final String CART_UPDATED = "Msg_CartUpdated";
    static final String CART_CLOSED = "Msg_CartClosed";
}
