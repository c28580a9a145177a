package io.loyalflow.customer;

import jakarta.validation.Valid;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consent statements per topic in a profile upsert: the sending channels ({@code email}, {@code sms})
 * and inclusion in paid-ads audiences ({@code ads}). A topic left out keeps its consent.
 */
public record ConsentStatements(
        @Valid ConsentStatement email,
        @Valid ConsentStatement sms,
        @Valid ConsentStatement ads) {

    Map<ConsentTopic, ConsentStatement> byTopic() {
        Map<ConsentTopic, ConsentStatement> statements = new LinkedHashMap<>();
        if (email != null) {
            statements.put(ConsentTopic.EMAIL, email);
        }
        if (sms != null) {
            statements.put(ConsentTopic.SMS, sms);
        }
        if (ads != null) {
            statements.put(ConsentTopic.ADS, ads);
        }
        return statements;
    }
}
