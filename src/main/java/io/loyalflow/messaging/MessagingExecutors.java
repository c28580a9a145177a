package io.loyalflow.messaging;

import io.loyalflow.platform.ManagedExecutors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** The threads of {@link EngagementCorrelator}, interrupted when the context closes (after the correlator). */
@Configuration(proxyBeanMethods = false)
class MessagingExecutors {

    /** Wakes journeys with engagement messages, several journeys at a time. */
    static final String CORRELATION = "engagementCorrelationExecutor";

    @Bean(CORRELATION)
    ThreadPoolTaskExecutor engagementCorrelationExecutor(
            @Value("${loyalflow.messaging.webhooks.correlation-threads:4}") int threads) {
        return ManagedExecutors.fixed(EngagementCorrelator.threads(threads), "loyalflow-correlation-", true);
    }
}
