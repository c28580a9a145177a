package io.loyalflow.messaging.webhook;

import io.loyalflow.customer.Channel;
import io.loyalflow.customer.ConsentStatus;
import io.loyalflow.customer.CustomerService;
import io.loyalflow.messaging.SuppressionReason;
import io.loyalflow.messaging.Suppressions;
import java.time.Instant;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What a provider says the owner of an address wants (an unsubscribe, a STOP, a START): the suppression
 * and the customer's consent change together. Holds whether or not Loyalflow knows the message.
 */
@Component
class AddressConsents {

    private final Suppressions suppressions;
    private final CustomerService customers;

    AddressConsents(Suppressions suppressions, CustomerService customers) {
        this.suppressions = suppressions;
        this.customers = customers;
    }

    void optOut(Channel channel, String address, SuppressionReason reason, String source, Instant statedAt) {
        if (address == null) {
            return;
        }
        suppressions.suppress(channel, address, reason, source);
        customers.stateConsentByAddress(channel, address, ConsentStatus.OPTED_OUT, source, statedAt);
    }

    void optIn(Channel channel, String address, Set<SuppressionReason> lifted, String source, Instant statedAt) {
        if (address == null) {
            return;
        }
        suppressions.lift(channel, address, lifted);
        customers.stateConsentByAddress(channel, address, ConsentStatus.OPTED_IN, source, statedAt);
    }
}
