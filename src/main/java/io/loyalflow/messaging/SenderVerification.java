package io.loyalflow.messaging;

import io.loyalflow.messaging.provider.EmailProvider;
import java.io.IOException;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Whether e-mail may go out from an address, as the configured provider sees it: what other modules (a
 * campaign's activation checks) ask instead of reaching into the providers.
 */
@Component
public class SenderVerification {

    private final EmailProvider emailProvider;

    SenderVerification(EmailProvider emailProvider) {
        this.emailProvider = emailProvider;
    }

    /**
     * Whether the provider would send from this address; empty when it cannot tell (the log provider sends
     * nothing). Throws {@link IOException} when the provider could not be asked.
     */
    public Optional<Boolean> isVerifiedSender(String fromEmail) throws IOException {
        return emailProvider.isVerifiedSender(fromEmail);
    }
}
