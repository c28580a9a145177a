package io.loyalflow.messaging.webhook;

import io.loyalflow.platform.ManagedExecutors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The threads of {@link ProviderEventApplier}. One each, so stored events are applied one run at a time
 * and one batch's journeys are woken before the next batch's. Daemon threads, interrupted when the context
 * closes (after the applier): an event a stopped node did not finish stays unapplied and the next sweep,
 * on any node, applies it.
 */
@Configuration(proxyBeanMethods = false)
class WebhookExecutors {

    /** Applies stored events right after a webhook request, off the request thread. */
    static final String APPLY = "webhookApplyExecutor";
    /** Wakes the journeys of an applied batch while the next batch is applied. */
    static final String WAKE = "webhookWakeExecutor";

    @Bean(APPLY)
    ThreadPoolTaskExecutor webhookApplyExecutor() {
        return ManagedExecutors.fixed(1, "loyalflow-webhook-apply-", true);
    }

    @Bean(WAKE)
    ThreadPoolTaskExecutor webhookWakeExecutor() {
        return ManagedExecutors.fixed(1, "loyalflow-webhook-wake-", true);
    }
}
