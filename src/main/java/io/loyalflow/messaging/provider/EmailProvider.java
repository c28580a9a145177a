package io.loyalflow.messaging.provider;

/** Sends e-mail; implementations: {@code sendgrid} and {@code log}. */
public interface EmailProvider {

  /** The name recorded on every delivery this provider handles. */
  String name();

  /** Sends once; never retries by itself and never throws for a provider answer. */
  SendResult send(EmailMessage message);
}
