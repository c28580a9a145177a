package io.loyalflow.customer;

import jakarta.validation.Valid;
import java.util.LinkedHashMap;
import java.util.Map;

/** Consent statements per channel in a profile upsert; a channel left out keeps its consent. */
public record ConsentStatements(
        @Valid ConsentStatement email, @Valid ConsentStatement sms) {

    Map<Channel, ConsentStatement> byChannel() {
        Map<Channel, ConsentStatement> statements = new LinkedHashMap<>();
        if (email != null) {
            statements.put(Channel.EMAIL, email);
        }
        if (sms != null) {
            statements.put(Channel.SMS, sms);
        }
        return statements;
    }
}
