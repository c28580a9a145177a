package io.loyalflow.demo;

import io.loyalflow.platform.ManagedExecutors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** The demo's background threads: the load, one at a time, and the writers of its contacts. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "loyalflow.demo.cdnow", havingValue = "true")
class DemoExecutors {

    static final String LOAD = "demoLoadExecutor";
    static final String CONTACTS = "demoContactsExecutor";

    @Bean(LOAD)
    ThreadPoolTaskExecutor demoLoadExecutor() {
        return ManagedExecutors.fixed(1, "loyalflow-demo-", true);
    }

    @Bean(CONTACTS)
    ThreadPoolTaskExecutor demoContactsExecutor() {
        return ManagedExecutors.fixed(4, "loyalflow-demo-contacts-", true);
    }
}
