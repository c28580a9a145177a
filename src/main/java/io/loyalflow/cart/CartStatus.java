package io.loyalflow.cart;

/** Where a cart stands. */
public enum CartStatus {
    /** Has items, checkout not started. */
    ACTIVE,
    /** The customer started the checkout. */
    CHECKOUT,
    /** Emptied or cleared by the shop. */
    CLEARED,
    /** Ordered: checkout completed, or an order named the cart or came from its customer after its last update. */
    CONVERTED
}
