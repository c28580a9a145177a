package io.loyalflow.customer;

/** How a customer record came to exist. */
public enum CustomerOrigin {
    /** Sent as a profile by another service. */
    PROFILE,
    /** Created by an order for a customer Loyalflow did not know yet. */
    ORDER,
    /** Loaded from the CDNOW demo data set. */
    DEMO,
    /** Created by referral statistics for a customer Loyalflow did not know yet. */
    REFERRAL,
    /** Created by a cart naming a customer Loyalflow did not know yet. */
    CART
}
