package io.loyalflow.messaging.provider;

/** Sends SMS; implementations: {@code twilio} and {@code log}. */
public interface SmsProvider {

    /** The name recorded on every delivery this provider handles. */
    String name();

    /** Sends once; never retries by itself (not even the SDK's own 5xx retry) and never throws for a provider answer. */
    SendResult send(SmsMessage message);
}
