package io.loyalflow.messaging;

import io.loyalflow.platform.db.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Wakes waiting journeys with engagement messages, by process instance id (never by a variable
 * query). An engagement whose journey is not waiting for it yet is kept as WAITING and delivered
 * when the journey reaches the wait ({@link WaitCatchUp}). Only the journey's latest message of a
 * channel wakes it: an open of an earlier e-mail does not answer the wait for a later one.
 */
@Component
public class EngagementCorrelator {

    private static final Logger log = LoggerFactory.getLogger(EngagementCorrelator.class);
    private static final int ATTEMPTS = 3;

    private final RuntimeService runtimeService;
    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ThreadPoolTaskExecutor workers;
    private final int threads;

    EngagementCorrelator(
            RuntimeService runtimeService,
            JdbcTemplate jdbc,
            MeterRegistry meters,
            Clock clock,
            @Value("${loyalflow.messaging.webhooks.correlation-threads:4}") int threads,
            @Qualifier(MessagingExecutors.CORRELATION) ThreadPoolTaskExecutor workers) {
        this.runtimeService = runtimeService;
        this.jdbc = jdbc;
        this.meters = meters;
        this.clock = clock;
        this.threads = threads(threads);
        this.workers = workers;
    }

    /** The correlation threads the setting asks for: at least one. */
    static int threads(int setting) {
        return Math.max(1, setting);
    }

    /** One engagement to deliver: the first of its kind for a delivery. */
    public record Engagement(String deliveryId, String processInstanceId, String messageName) {}

    /**
     * Correlates the engagements, in parallel across journeys and in order within one journey, and
     * records for each whether it reached the journey. Returns how many woke a journey.
     */
    public int correlate(Collection<Engagement> engagements) {
        if (engagements.isEmpty()) {
            return 0;
        }
        // One journey's engagements stay together and in order; journeys are taken from a shared queue,
        // so every worker stays busy until the batch is done.
        Map<String, List<Engagement>> byJourney = new LinkedHashMap<>();
        for (Engagement engagement : engagements) {
            byJourney
                    .computeIfAbsent(engagement.processInstanceId(), k -> new ArrayList<>())
                    .add(engagement);
        }
        Queue<List<Engagement>> queue = new ConcurrentLinkedQueue<>(byJourney.values());
        List<Future<Map<Engagement, String>>> futures = new ArrayList<>();
        for (int i = 0; i < Math.min(threads, byJourney.size()); i++) {
            futures.add(workers.submit(() -> {
                Map<Engagement, String> states = new LinkedHashMap<>();
                for (List<Engagement> journey = queue.poll(); journey != null; journey = queue.poll()) {
                    for (Engagement engagement : journey) {
                        states.put(engagement, deliver(engagement));
                    }
                }
                return states;
            }));
        }
        Map<Engagement, String> states = new LinkedHashMap<>();
        for (Future<Map<Engagement, String>> future : futures) {
            try {
                states.putAll(future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        record(states);
        return (int) states.values().stream().filter("DONE"::equals).count();
    }

    /** Correlates in the calling thread (a journey that just reached its wait). */
    public int correlateHere(Collection<Engagement> engagements) {
        Map<Engagement, String> states = new LinkedHashMap<>();
        engagements.forEach(engagement -> states.put(engagement, deliver(engagement)));
        record(states);
        return (int) states.values().stream().filter("DONE"::equals).count();
    }

    private String deliver(Engagement engagement) {
        for (int attempt = 1; ; attempt++) {
            try {
                boolean woke = !runtimeService
                        .createMessageCorrelation(engagement.messageName())
                        .processInstanceId(engagement.processInstanceId())
                        .setVariable(
                                MessagingVariables.ENGAGED_DELIVERY_ID.name(),
                                MessagingVariables.ENGAGED_DELIVERY_ID.value(engagement.deliveryId()))
                        .correlateAllWithResult()
                        .isEmpty();
                meters.counter(
                                "loyalflow.messaging.correlations",
                                "message",
                                engagement.messageName(),
                                "result",
                                woke ? "woke" : "waiting")
                        .increment();
                return woke ? "DONE" : "WAITING";
            } catch (OptimisticLockingException e) {
                // The journey moved at the same moment (a timer fired, another message arrived): try again.
                if (attempt == ATTEMPTS) {
                    log.warn(
                            "Could not deliver {} of {} to journey {} after {} attempts; a later sweep retries",
                            engagement.messageName(),
                            engagement.deliveryId(),
                            engagement.processInstanceId(),
                            ATTEMPTS);
                    return null;
                }
            } catch (RuntimeException e) {
                log.warn(
                        "Delivering {} of {} to journey {} failed; a later sweep retries",
                        engagement.messageName(),
                        engagement.deliveryId(),
                        engagement.processInstanceId(),
                        e);
                return null;
            }
        }
    }

    private void record(Map<Engagement, String> states) {
        OffsetDateTime now = Timestamps.utc(clock.instant());
        List<Object[]> rows = new ArrayList<>();
        states.forEach((engagement, state) -> {
            if (state != null) {
                rows.add(new Object[] {
                    state, "DONE".equals(state) ? now : null, engagement.deliveryId(), engagement.messageName()
                });
            }
        });
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(
                    "update delivery_event set correlation = ?, correlated_at = ? "
                            + "where delivery_id = ? and message_name = ?",
                    rows);
        }
    }

    /**
     * The engagements of one journey still waiting for it, for the given messages, whose delivery is
     * the journey's latest sent message on its channel.
     */
    public List<Engagement> waitingFor(String processInstanceId, Set<String> messageNames) {
        if (messageNames.isEmpty()) {
            return List.of();
        }
        List<Engagement> waiting = new ArrayList<>();
        jdbc.query(
                "select e.delivery_id, e.message_name from delivery_event e join delivery d on d.delivery_id = e.delivery_id "
                        + "where e.process_instance_id = ? and e.correlation = 'WAITING' "
                        + "and d.delivery_seq = (select max(l.delivery_seq) from delivery l where l.process_instance_id = ? "
                        + "  and l.channel = d.channel and l.test = false and l.status not in ('SKIPPED', 'DEFERRED', 'CANCELLED')) "
                        + "order by e.event_key",
                rs -> {
                    if (messageNames.contains(rs.getString(2))) {
                        waiting.add(new Engagement(rs.getString(1), processInstanceId, rs.getString(2)));
                    }
                },
                processInstanceId,
                processInstanceId);
        return waiting;
    }

    /** Engagements never tried (the node stopped between storing and delivering them). */
    public List<Engagement> untried(Instant recordedBefore, int limit) {
        return jdbc.query(
                "select delivery_id, process_instance_id, message_name from delivery_event "
                        + "where correlation is null and message_name is not null and recorded_at < ? order by event_key limit ?",
                (rs, row) -> new Engagement(rs.getString(1), rs.getString(2), rs.getString(3)),
                Timestamps.utc(recordedBefore),
                limit);
    }
}
