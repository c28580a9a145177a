package io.loyalflow.platform.retention;

import java.time.Duration;
import java.util.Optional;
import org.camunda.bpm.engine.impl.calendar.CronTimer;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long Loyalflow keeps its own growing tables, and when it deletes what expired ({@code loyalflow.retention.*};
 * application.yml names each environment variable, docs/operations.md "Retention" says why the defaults are what
 * they are). A period of 0 keeps the rows forever. A value that makes no sense refuses the start, naming the
 * setting; the modules add their own lower bounds (deliveries: the frequency caps' window).
 *
 * @param cycle Camunda timer cycle of the storage-cleanup process (cron or ISO 8601 repetition)
 * @param window a run starts no batch after this long: what is left waits for the next run
 * @param batchSize rows deleted per batch, one transaction each
 * @param batchesPerJob batches one job of the process runs before the next job takes over
 */
@ConfigurationProperties(RetentionProperties.PREFIX)
public record RetentionProperties(
        String cycle,
        Duration window,
        Integer batchSize,
        Integer batchesPerJob,
        Duration deliveries,
        Duration providerEvents,
        Duration enrollments,
        Duration segmentEvents,
        Duration customerEvents) {

    static final String PREFIX = "loyalflow.retention";
    static final int MAX_BATCH = 10_000;

    public RetentionProperties {
        cycle = cycle == null || cycle.isBlank() ? "0 45 3 * * ?" : cycle.strip();
        requireCycle(cycle);
        window = window == null ? Duration.ofHours(2) : window;
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw refused("window", window, "must be between 1 minute and 1 day");
        }
        batchSize = batchSize == null ? 1000 : batchSize;
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw refused("batch-size", batchSize, "must be between 1 and " + MAX_BATCH);
        }
        batchesPerJob = batchesPerJob == null ? 20 : batchesPerJob;
        if (batchesPerJob < 1 || batchesPerJob > 1000) {
            throw refused("batches-per-job", batchesPerJob, "must be between 1 and 1000");
        }
        deliveries = period(RetentionFamily.DELIVERIES, deliveries, Duration.ofDays(400));
        providerEvents = period(RetentionFamily.PROVIDER_EVENTS, providerEvents, Duration.ofDays(90));
        enrollments = period(RetentionFamily.ENROLLMENTS, enrollments, Duration.ofDays(400));
        segmentEvents = period(RetentionFamily.SEGMENT_EVENTS, segmentEvents, Duration.ofDays(400));
        customerEvents = period(RetentionFamily.CUSTOMER_EVENTS, customerEvents, Duration.ofDays(400));
    }

    /** How long a family's rows are kept; empty: forever (the setting is 0). */
    public Optional<Duration> keep(RetentionFamily family) {
        Duration period = switch (family) {
            case DELIVERIES -> deliveries;
            case PROVIDER_EVENTS -> providerEvents;
            case ENROLLMENTS -> enrollments;
            case SEGMENT_EVENTS -> segmentEvents;
            case CUSTOMER_EVENTS -> customerEvents;
        };
        return period.isZero() ? Optional.empty() : Optional.of(period);
    }

    /**
     * Refuses the start when a family is kept for less than a module needs (0, forever, always passes).
     *
     * @param why what needs the rows that long, naming the setting it comes from
     */
    public void requireAtLeast(RetentionFamily family, Duration minimum, String why) {
        keep(family).filter(period -> period.compareTo(minimum) < 0).ifPresent(period -> {
            throw new IllegalStateException(family.property() + " is " + format(period) + ", it must be 0 (keep "
                    + "forever) or at least " + format(minimum) + ": " + why);
        });
    }

    private static Duration period(RetentionFamily family, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isZero()) {
            return value;
        }
        if (value.isNegative() || value.compareTo(Duration.ofDays(1)) < 0) {
            throw refused(family.setting(), value, "must be 0 (keep forever) or at least 1d");
        }
        return value;
    }

    private static void requireCycle(String cycle) {
        if (cycle.startsWith("R")) {
            return;
        }
        try {
            CronTimer.parse(cycle);
        } catch (Exception | Error e) {
            throw refused(
                    "cycle",
                    cycle,
                    "is not a Camunda timer cycle (a cron expression such as 0 45 3 * * ? or "
                            + "an ISO 8601 repetition such as R/PT24H): " + e.getMessage());
        }
    }

    static String format(Duration period) {
        return period.toSeconds() % 86_400 == 0 ? period.toDays() + "d" : period.toString();
    }

    private static IllegalArgumentException refused(String setting, Object value, String rule) {
        return new IllegalArgumentException(PREFIX + "." + setting + " " + rule + ", got " + value);
    }
}
