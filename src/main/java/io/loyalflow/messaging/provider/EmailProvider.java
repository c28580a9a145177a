package io.loyalflow.messaging.provider;

import java.io.IOException;
import java.util.Optional;

/** Sends e-mail; implementations: {@code sendgrid} and {@code log}. */
public interface EmailProvider {

    /** The name recorded on every delivery this provider handles. */
    String name();

    /** Sends once; never retries by itself and never throws for a provider answer. */
    SendResult send(EmailMessage message);

    /**
     * Whether the provider would send from this address. Empty when the provider cannot tell (the log
     * provider sends nothing); throws {@link java.io.IOException} when the provider could not be asked.
     */
    default Optional<Boolean> isVerifiedSender(String fromEmail) throws IOException {
        return Optional.empty();
    }
}
