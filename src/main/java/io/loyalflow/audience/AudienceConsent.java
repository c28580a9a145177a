package io.loyalflow.audience;

import io.loyalflow.customer.AdsConsentChanged;
import java.time.Clock;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A customer's ads consent changed: in the same transaction, every audience they are in decides again at its next
 * round, so a withdrawn consent removes them from Meta and a new one sends them (if the source wants them in).
 */
@Component
class AudienceConsent {

    private final AdAudienceStore store;
    private final Clock clock;

    AudienceConsent(AdAudienceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @EventListener
    void consentChanged(AdsConsentChanged changed) {
        store.reconsider(changed.customerKey(), clock.instant());
    }
}
