package io.loyalflow.customer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;

/**
 * What a customer said about one consent topic (a channel, or ads audiences), where and when.
 * {@code statedAt} defaults to the time the statement is received; a statement older than the one
 * on record is kept in the audit trail but does not replace it.
 */
public record ConsentStatement(
        @NotNull ConsentStatus status,

        @NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String source,

        OffsetDateTime statedAt) {}
