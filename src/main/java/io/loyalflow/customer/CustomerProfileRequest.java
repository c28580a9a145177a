package io.loyalflow.customer;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /api/customers/{customerId}}. The profile fields are replaced as sent (a field
 * left out is cleared); consents are statements applied per topic (email, sms, ads).
 */
public record CustomerProfileRequest(
        @Size(max = 254) String email,
        @Size(max = 40) String phone,

        @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String firstName,

        @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String lastName,

        @Size(max = 35) String locale,
        @Size(max = 64) String timeZone,
        JsonNode attributes,
        @Valid ConsentStatements consents) {}
