package io.loyalflow.messaging.provider;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The local default: records the rendered SMS (status LOGGED) and logs it, without calling anyone. */
public class LogSmsProvider implements SmsProvider {

    private static final Logger log = LoggerFactory.getLogger(LogSmsProvider.class);

    @Override
    public String name() {
        return "log";
    }

    @Override
    public SendResult send(SmsMessage message) {
        log.info("NOT SENT (SMS provider 'log'): SMS {} to {}: {}", message.deliveryId(), message.to(), message.body());
        return new SendResult.Accepted("log-" + message.deliveryId());
    }
}
