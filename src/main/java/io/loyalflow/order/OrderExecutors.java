package io.loyalflow.order;

import io.loyalflow.platform.ManagedExecutors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** The threads that store an import's chunks ({@link OrderImporter}); interrupted when the context closes. */
@Configuration(proxyBeanMethods = false)
class OrderExecutors {

    /** Stores imported chunks while the import reads on; a thread whenever none is idle (imports never wait). */
    static final String IMPORT_WRITER = "orderImportWriterExecutor";

    @Bean(IMPORT_WRITER)
    ThreadPoolTaskExecutor orderImportWriterExecutor() {
        return ManagedExecutors.onDemand("order-import-writer-", true);
    }
}
