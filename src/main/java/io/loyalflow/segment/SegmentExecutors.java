package io.loyalflow.segment;

import io.loyalflow.platform.ManagedExecutors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The writer threads of a segment refresh. A thread per writer, as when each refresh started its own: a
 * refresh's writers never wait behind another refresh's. Interrupted when the context closes: the writers'
 * transactions roll back and the previous refresh's results stay.
 */
@Configuration(proxyBeanMethods = false)
class SegmentExecutors {

    /** Writes the stored features in one transaction while the refresh's pass goes on ({@link FeatureReplacement}). */
    static final String FEATURES_WRITER = "segmentFeaturesWriterExecutor";
    /** Writes a refresh's changes on parallel connections ({@link SegmentLedger}, PostgreSQL). */
    static final String LEDGER_WRITERS = "segmentLedgerWriterExecutor";

    @Bean(FEATURES_WRITER)
    ThreadPoolTaskExecutor segmentFeaturesWriterExecutor() {
        return ManagedExecutors.onDemand("segment-features-writer-", false);
    }

    @Bean(LEDGER_WRITERS)
    ThreadPoolTaskExecutor segmentLedgerWriterExecutor() {
        return ManagedExecutors.onDemand("segment-ledger-writer-", false);
    }
}
