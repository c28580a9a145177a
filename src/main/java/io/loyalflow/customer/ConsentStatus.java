package io.loyalflow.customer;

public enum ConsentStatus {
    OPTED_IN,
    OPTED_OUT
}
