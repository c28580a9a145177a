package io.loyalflow.messaging;

/** The send gate's verdict, recorded on every delivery. */
public enum GateDecision {
    PASSED,
    /** Test sends skip consent, caps and quiet hours, never suppression. */
    PASSED_TEST,
    NO_CUSTOMER,
    NO_ADDRESS,
    NO_CONSENT,
    SUPPRESSED,
    CAPPED,
    QUIET_HOURS
}
