package io.loyalflow.platform.retention;

/**
 * The kinds of rows Loyalflow keeps only for a while, each with its retention setting
 * ({@code loyalflow.retention.<setting>}). The module owning the rows deletes them ({@link RetentionCleanup}).
 */
public enum RetentionFamily {
    /** Messages sent (the outbox) and their status and engagement history: messaging. */
    DELIVERIES("deliveries"),
    /** Webhook payloads received from SendGrid and Twilio, with their deduplication keys: messaging. */
    PROVIDER_EVENTS("provider-events"),
    /** Ended journeys' enrollment rows: journey. */
    ENROLLMENTS("enrollments"),
    /** The segment-event log (entered, left, tier changed) and what campaigns decided about each event. */
    SEGMENT_EVENTS("segment-events"),
    /** Events other services reported about a customer: journey. */
    CUSTOMER_EVENTS("customer-events");

    private final String setting;

    RetentionFamily(String setting) {
        this.setting = setting;
    }

    /** The setting's name under {@code loyalflow.retention}. */
    public String setting() {
        return setting;
    }

    /** The setting's full name, for messages. */
    public String property() {
        return RetentionProperties.PREFIX + "." + setting;
    }
}
