package io.loyalflow.customer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/** A customer as the API shows it: profile, consents and purchase features. */
public record CustomerView(
    String customerId,
    String email,
    String phone,
    String firstName,
    String lastName,
    String locale,
    String timeZone,
    String effectiveTimeZone,
    JsonNode attributes,
    Map<String, ConsentView> consents,
    CustomerOrigin origin,
    long version,
    Instant createdAt,
    Instant updatedAt,
    PurchaseFeatures features) {

  public record ConsentView(ConsentStatus status, String source, Instant statedAt, Instant recordedAt) {
  }
}
