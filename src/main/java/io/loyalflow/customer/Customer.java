package io.loyalflow.customer;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/** A stored customer with their current consents. */
record Customer(
        long key,
        String customerId,
        String email,
        String phone,
        String firstName,
        String lastName,
        String locale,
        String timeZone,
        String phoneTimeZone,
        String attributes,
        CustomerOrigin origin,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Map<ConsentTopic, Consent> consents) {

    /** The customer's own zone, else their phone number's, else the configured default. */
    ZoneId effectiveZone(ZoneId fallback) {
        if (timeZone != null) {
            return ZoneId.of(timeZone);
        }
        return phoneTimeZone != null ? ZoneId.of(phoneTimeZone) : fallback;
    }

    boolean sameProfileAs(Profile profile) {
        return Objects.equals(email, profile.email())
                && Objects.equals(phone, profile.phone())
                && Objects.equals(firstName, profile.firstName())
                && Objects.equals(lastName, profile.lastName())
                && Objects.equals(locale, profile.locale())
                && Objects.equals(timeZone, profile.timeZone())
                && Objects.equals(phoneTimeZone, profile.phoneTimeZone())
                && Objects.equals(attributes, profile.attributes());
    }

    record Consent(ConsentStatus status, String source, Instant statedAt, Instant recordedAt) {}

    /** The normalised personal data of a profile upsert. */
    record Profile(
            String email,
            String phone,
            String firstName,
            String lastName,
            String locale,
            String timeZone,
            String phoneTimeZone,
            String attributes) {}
}
