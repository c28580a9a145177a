package io.loyalflow.journey;

import io.loyalflow.customer.Channel;
import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.messaging.Suppressions;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.springframework.stereotype.Service;

/**
 * The customer facts a journey's decision tables read, from the modules that own them: the profile,
 * consents and referral statistics (customer) and the suppression of the addresses (messaging). Read
 * fresh each time, since consent and suppression change while a journey waits.
 */
@Service
class DecisionFacts {

    /**
     * @param hasEmail / hasPhone an address that is not suppressed
     * @param emailConsent / smsConsent opted in
     * @param preferredChannel the profile attribute of that name, EMAIL or SMS, else null
     * @param referralActivity Active, Dormant, or null without referral data
     * @param successfulReferrals the referral program's statistics, 0 without
     */
    record Facts(
            boolean hasEmail,
            boolean hasPhone,
            boolean emailConsent,
            boolean smsConsent,
            String preferredChannel,
            String referralActivity,
            int successfulReferrals) {

        /** Writes the facts as the typed variables the decision tables after the step read. */
        void setOn(VariableScope scope) {
            JourneyVariables.HAS_EMAIL.on(scope).set(hasEmail);
            JourneyVariables.HAS_PHONE.on(scope).set(hasPhone);
            JourneyVariables.EMAIL_CONSENT.on(scope).set(emailConsent);
            JourneyVariables.SMS_CONSENT.on(scope).set(smsConsent);
            JourneyVariables.PREFERRED_CHANNEL.on(scope).set(preferredChannel);
            JourneyVariables.REFERRAL_ACTIVITY.on(scope).set(referralActivity);
            JourneyVariables.SUCCESSFUL_REFERRALS.on(scope).set(successfulReferrals);
        }
    }

    private final CustomerQueries customers;
    private final Suppressions suppressions;

    DecisionFacts(CustomerQueries customers, Suppressions suppressions) {
        this.customers = customers;
        this.suppressions = suppressions;
    }

    /** Empty when there is no such customer (erased). */
    Optional<Facts> of(String customerId) {
        return customers
                .journeyFacts(customerId)
                .map(c -> new Facts(
                        reachable(Channel.EMAIL, c.emailAddress()),
                        reachable(Channel.SMS, c.phone()),
                        c.emailConsent(),
                        c.smsConsent(),
                        c.preferredChannel(),
                        // decision tables and conditions compare the program's names (Active), not the stored ACTIVE
                        c.referralActivity() == null
                                ? null
                                : c.referralActivity().label(),
                        c.successfulReferrals()));
    }

    private boolean reachable(Channel channel, String address) {
        return address != null && suppressions.of(channel, address).isEmpty();
    }
}
