package io.loyalflow.journey;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param maxAge a customer event no journey waited for when it arrived is kept for journeys that
 *     reach a wait for it later, as long as it is no older than this (by when it occurred)
 */
@ConfigurationProperties("loyalflow.customer-events")
record CustomerEventProperties(Duration maxAge) {

    public CustomerEventProperties {
        maxAge = maxAge == null ? Duration.ofDays(7) : maxAge;
    }
}
