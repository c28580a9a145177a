package io.loyalflow.messaging;

import io.loyalflow.messaging.provider.EmailProvider;
import io.loyalflow.messaging.provider.LogEmailProvider;
import io.loyalflow.messaging.provider.LogSmsProvider;
import io.loyalflow.messaging.provider.SendGridEmailProvider;
import io.loyalflow.messaging.provider.SmsProvider;
import io.loyalflow.messaging.provider.TwilioSmsProvider;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Chooses the providers by configuration and refuses to start with a real provider half configured. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class MessagingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MessagingConfiguration.class);

    @Bean
    EmailProvider emailProvider(MessagingProperties properties) {
        return switch (properties.emailProvider()) {
            case MessagingProperties.LOG -> {
                log.warn("E-mail provider is 'log': e-mails are recorded as deliveries (status LOGGED) and logged, "
                        + "NOT sent. Set LOYALFLOW_EMAIL_PROVIDER=sendgrid to send.");
                yield new LogEmailProvider();
            }
            case MessagingProperties.SENDGRID -> {
                MessagingProperties.SendGrid sendgrid = properties.sendgrid();
                List<String> missing = new ArrayList<>();
                require(
                        sendgrid.apiKey(),
                        "loyalflow.messaging.sendgrid.api-key (LOYALFLOW_SENDGRID_API_KEY)",
                        missing);
                require(
                        sendgrid.fromEmail(),
                        "loyalflow.messaging.sendgrid.from-email (LOYALFLOW_SENDGRID_FROM_EMAIL)",
                        missing);
                require(
                        sendgrid.webhookPublicKey(),
                        "loyalflow.messaging.sendgrid.webhook-public-key (LOYALFLOW_SENDGRID_WEBHOOK_PUBLIC_KEY)",
                        missing);
                failIfMissing("the sendgrid e-mail provider", missing);
                yield new SendGridEmailProvider(sendgrid);
            }
            default ->
                throw new IllegalStateException("loyalflow.messaging.email-provider (LOYALFLOW_EMAIL_PROVIDER) must be "
                        + "'log' or 'sendgrid', not '" + properties.emailProvider() + "'");
        };
    }

    @Bean
    SmsProvider smsProvider(MessagingProperties properties) {
        return switch (properties.smsProvider()) {
            case MessagingProperties.LOG -> {
                log.warn("SMS provider is 'log': SMS are recorded as deliveries (status LOGGED) and logged, NOT sent. "
                        + "Set LOYALFLOW_SMS_PROVIDER=twilio to send.");
                yield new LogSmsProvider();
            }
            case MessagingProperties.TWILIO -> {
                MessagingProperties.Twilio twilio = properties.twilio();
                List<String> missing = new ArrayList<>();
                require(
                        twilio.accountSid(),
                        "loyalflow.messaging.twilio.account-sid (LOYALFLOW_TWILIO_ACCOUNT_SID)",
                        missing);
                require(
                        twilio.authToken(),
                        "loyalflow.messaging.twilio.auth-token (LOYALFLOW_TWILIO_AUTH_TOKEN)",
                        missing);
                if (blank(twilio.messagingServiceSid()) && blank(twilio.fromNumber())) {
                    missing.add(
                            "loyalflow.messaging.twilio.messaging-service-sid (LOYALFLOW_TWILIO_MESSAGING_SERVICE_SID) "
                                    + "or loyalflow.messaging.twilio.from-number (LOYALFLOW_TWILIO_FROM_NUMBER)");
                }
                failIfMissing("the twilio SMS provider", missing);
                yield new TwilioSmsProvider(twilio);
            }
            default ->
                throw new IllegalStateException("loyalflow.messaging.sms-provider (LOYALFLOW_SMS_PROVIDER) must be "
                        + "'log' or 'twilio', not '" + properties.smsProvider() + "'");
        };
    }

    @Bean
    UnsubscribeTokens unsubscribeTokens(MessagingProperties properties) {
        String secret = properties.unsubscribeSecret();
        if (blank(secret)) {
            if (!MessagingProperties.LOG.equals(properties.emailProvider())
                    || !MessagingProperties.LOG.equals(properties.smsProvider())) {
                throw new IllegalStateException("Real sends need loyalflow.messaging.unsubscribe-secret "
                        + "(LOYALFLOW_UNSUBSCRIBE_SECRET, at least 32 characters): unsubscribe links must stay valid across "
                        + "restarts and nodes.");
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            secret = Base64.getEncoder().encodeToString(random);
            log.warn("No LOYALFLOW_UNSUBSCRIBE_SECRET: unsubscribe links are signed with a random key and stop working "
                    + "at restart (fine for a local try-out with the log providers).");
        }
        return new UnsubscribeTokens(secret);
    }

    private static void require(String value, String name, List<String> missing) {
        if (blank(value)) {
            missing.add(name);
        }
    }

    private static void failIfMissing(String what, List<String> missing) {
        if (!missing.isEmpty()) {
            throw new IllegalStateException(what + " needs " + String.join(", ", missing));
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
