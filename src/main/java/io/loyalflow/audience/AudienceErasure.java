package io.loyalflow.audience;

import io.loyalflow.customer.CustomerErased;
import java.time.Clock;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Right to erasure: in the erasing transaction, the customer leaves every ad audience. Meta still has them until
 * the next round sends the removal, which needs the hashes sent before; the member row keeps only those, and goes
 * once the removal went out (at once for a customer Meta never had).
 */
@Component
class AudienceErasure {

    private final AdAudienceStore store;
    private final Clock clock;

    AudienceErasure(AdAudienceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @EventListener
    void erase(CustomerErased erased) {
        store.erase(erased.customerKey(), clock.instant());
    }
}
