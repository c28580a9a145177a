package io.loyalflow.platform.retention;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One job's share of a storage-cleanup run: the modules' cleanups in turn, each batch in a transaction of its
 * own (committed whatever comes after it), until {@code batches-per-job} batches ran, every cleanup is finished,
 * or the run's window has closed. The cutoffs count back from the run's start, so every job of a run deletes by
 * the same dates; a repeated or retried job deletes nothing twice (what is gone is not found again).
 */
@Service
class StorageCleanup {

    static final String MORE = "MORE";
    static final String DONE = "DONE";
    static final String WINDOW_CLOSED = "WINDOW_CLOSED";

    private static final Logger log = LoggerFactory.getLogger(StorageCleanup.class);

    /** Where a run stands between its jobs. */
    record Run(Instant startedAt, Set<String> finished, Map<String, Long> deleted, int batches) {

        static Run startingAt(Instant startedAt) {
            return new Run(startedAt, new LinkedHashSet<>(), new TreeMap<>(), 0);
        }

        long total() {
            return deleted.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** What a job did: the outcome and the run as it stands after it. */
    record Slice(String outcome, Run run) {}

    private final List<RetentionCleanup> cleanups;
    private final RetentionProperties properties;
    private final TransactionTemplate separately;
    private final MeterRegistry meters;
    private final Clock clock;

    StorageCleanup(
            List<RetentionCleanup> cleanups,
            RetentionProperties properties,
            PlatformTransactionManager transactions,
            MeterRegistry meters,
            Clock clock) {
        this.cleanups = cleanups.stream()
                .sorted(Comparator.comparing((RetentionCleanup c) -> c.family().ordinal())
                        .thenComparing(RetentionCleanup::order)
                        .thenComparing(RetentionCleanup::name))
                .toList();
        Set<RetentionFamily> missing = EnumSet.allOf(RetentionFamily.class);
        this.cleanups.forEach(cleanup -> missing.remove(cleanup.family()));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("No module deletes the expired rows of " + missing);
        }
        this.properties = properties;
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.meters = meters;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** Runs one job's batches of the run. */
    Slice runSlice(Run run) {
        Instant windowEnd = run.startedAt().plus(properties.window());
        Set<String> finished = new LinkedHashSet<>(run.finished());
        Map<String, Long> deleted = new TreeMap<>(run.deleted());
        int batches = 0;
        for (RetentionCleanup cleanup : cleanups) {
            if (finished.contains(cleanup.name())) {
                continue;
            }
            Optional<Duration> keep = properties.keep(cleanup.family());
            if (keep.isEmpty()) {
                finished.add(cleanup.name());
                continue;
            }
            Instant cutoff = run.startedAt().minus(keep.get());
            while (true) {
                if (batches == properties.batchesPerJob()) {
                    return slice(MORE, run, finished, deleted, batches);
                }
                if (!clock.instant().isBefore(windowEnd)) {
                    return slice(WINDOW_CLOSED, run, finished, deleted, batches);
                }
                RetentionCleanup.Batch batch =
                        separately.execute(tx -> cleanup.deleteBatch(cutoff, properties.batchSize()));
                batches++;
                meters.counter("loyalflow.retention.batches", "cleanup", cleanup.name())
                        .increment();
                batch.byTable().forEach((table, rows) -> {
                    deleted.merge(table, rows.longValue(), Long::sum);
                    meters.counter("loyalflow.retention.deleted", "table", table)
                            .increment(rows);
                });
                log.debug("Retention: {} deleted {} before {}", cleanup.name(), batch.byTable(), cutoff);
                if (batch.rows() < properties.batchSize()) {
                    finished.add(cleanup.name());
                    break;
                }
            }
        }
        return slice(DONE, run, finished, deleted, batches);
    }

    private Slice slice(String outcome, Run run, Set<String> finished, Map<String, Long> deleted, int batches) {
        Run after = new Run(run.startedAt(), finished, deleted, run.batches() + batches);
        Map<String, Long> shown = new LinkedHashMap<>(deleted);
        if (outcome.equals(MORE)) {
            log.info("Retention run of {}: {} batches so far, deleted {}", run.startedAt(), after.batches(), shown);
        } else {
            log.info(
                    "Retention run of {} {}: {} rows deleted in {} batches ({}), finished: {}",
                    run.startedAt(),
                    outcome.equals(DONE) ? "done" : "stopped, its window closed",
                    after.total(),
                    after.batches(),
                    shown,
                    finished);
        }
        return new Slice(outcome, after);
    }
}
