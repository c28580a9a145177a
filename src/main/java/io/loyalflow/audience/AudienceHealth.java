package io.loyalflow.audience;

/** An audience's operation status as Meta reports it (200: normal). */
record AudienceHealth(int code, String description) {

    /** Meta's code for an audience whose uploads were flagged (terms not accepted, policy): syncing must stop. */
    static final int FLAGGED = 471;

    boolean flagged() {
        return code == FLAGGED;
    }
}
