package io.loyalflow.messaging.provider;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local default: records the rendered e-mail (the delivery row keeps it, status LOGGED) and
 * logs it, without calling anyone.
 */
public class LogEmailProvider implements EmailProvider {

    private static final Logger log = LoggerFactory.getLogger(LogEmailProvider.class);

    @Override
    public String name() {
        return "log";
    }

    @Override
    public SendResult send(EmailMessage message) {
        log.info(
                "NOT SENT (email provider 'log'): e-mail {} to {} from {}, template {}, category {}, data {}",
                message.deliveryId(),
                message.to(),
                message.fromEmail(),
                message.templateId(),
                message.category(),
                message.templateData());
        return new SendResult.Accepted("log-" + message.deliveryId());
    }
}
