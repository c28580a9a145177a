package io.loyalflow.platform.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Durable facts reach their listeners even when a listener failed or its node stopped between the
 * commit and the listener: Spring Modulith's event publication registry keeps a row per listener
 * in {@code event_publication} until the listener has succeeded (then the row is deleted). This
 * resubmits what is left: every incomplete publication once this node is ready, then every
 * {@code resubmissionInterval} those older than {@code resubmitAfter} (younger ones are most likely
 * still queued on the node that published them). Several nodes may resubmit the same publication
 * at once; every listener is idempotent, so the fact still takes effect once.
 *
 * <p>A node whose own event queue is not empty skips the scheduled look: it is working through a
 * backlog, and resubmitting publications that are still waiting in that queue would only queue
 * them twice.
 */
@Component
public class EventPublications {

    private static final Logger log = LoggerFactory.getLogger(EventPublications.class);

    private final IncompleteEventPublications incomplete;
    private final JdbcTemplate jdbc;
    private final EventProperties properties;
    private final ThreadPoolTaskExecutor executor;
    private final Clock clock;
    private final Counter resubmitted;

    EventPublications(
            IncompleteEventPublications incomplete,
            JdbcTemplate jdbc,
            EventProperties properties,
            @Qualifier("applicationTaskExecutor") ThreadPoolTaskExecutor executor,
            Clock clock,
            MeterRegistry meters) {
        this.incomplete = incomplete;
        this.jdbc = jdbc;
        this.properties = properties;
        this.executor = executor;
        this.clock = clock;
        this.resubmitted = Counter.builder("loyalflow.events.resubmitted")
                .description(
                        "Event publications resubmitted to their listener (at start, or because they stayed incomplete)")
                .register(meters);
        Gauge.builder("loyalflow.events.incomplete", this, EventPublications::incompleteCount)
                .description(
                        "Event publications whose listener has not succeeded yet (queued, running, failed, or left by "
                                + "a stopped node); see docs/operations.md")
                .register(meters);
        Gauge.builder("loyalflow.events.incomplete.oldest.age", this, EventPublications::oldestAgeSeconds)
                .baseUnit("seconds")
                .description(
                        "Age of the oldest incomplete event publication (0 when none); one that keeps growing is stuck")
                .register(meters);
    }

    /** Once the whole application runs: everything left incomplete, by this node or another. */
    @EventListener(ApplicationReadyEvent.class)
    public void resubmitAtStart() {
        int count = resubmit(publication -> true);
        if (count > 0) {
            log.info("Resubmitted {} incomplete event publication(s) at start", count);
        }
    }

    /** The scheduled look; returns how many were resubmitted. */
    @Scheduled(
            fixedDelayString = "${loyalflow.events.resubmission-interval:1m}",
            initialDelayString = "${loyalflow.events.resubmission-interval:1m}")
    public int resubmitStale() {
        if (executor.getThreadPoolExecutor().getQueue().size() > 0) {
            log.debug("Event queue not empty: leaving resubmission for later");
            return 0;
        }
        Instant before = clock.instant().minus(properties.resubmitAfter());
        int count = resubmit(publication -> publication.getPublicationDate().isBefore(before));
        if (count > 0) {
            log.warn(
                    "Resubmitted {} event publication(s) older than {}: a listener failed or a node stopped before "
                            + "handling them",
                    count,
                    properties.resubmitAfter());
        }
        return count;
    }

    private int resubmit(Predicate<EventPublication> eligible) {
        AtomicInteger taken = new AtomicInteger();
        incomplete.resubmitIncompletePublications(
                publication -> eligible.test(publication) && taken.incrementAndGet() <= properties.resubmissionBatch());
        int count = Math.min(taken.get(), properties.resubmissionBatch());
        resubmitted.increment(count);
        return count;
    }

    private double incompleteCount() {
        Long count =
                jdbc.queryForObject("select count(*) from event_publication where completion_date is null", Long.class);
        return count == null ? 0 : count;
    }

    private double oldestAgeSeconds() {
        Timestamp oldest = jdbc.queryForObject(
                "select min(publication_date) from event_publication where completion_date is null", Timestamp.class);
        return oldest == null
                ? 0
                : Math.max(
                        0, Duration.between(oldest.toInstant(), clock.instant()).toSeconds());
    }
}
