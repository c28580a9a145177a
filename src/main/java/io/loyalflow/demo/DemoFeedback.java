package io.loyalflow.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.journey.CustomerEvents;
import io.loyalflow.journey.RetentionProcess;
import io.loyalflow.messaging.DeliveryQueries;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The demo's customers answering the retention journeys' feedback requests: for a share of the requests sent in
 * the last half hour, the customer event FeedbackGiven with a reason drawn from the seed and the delivery id, as
 * the shop's feedback page would report it. The event id is derived from the delivery, so answering again (the
 * next tick, a restart) records nothing twice and wakes no journey twice.
 */
@Component
@Conditional(SimulatorGuard.class)
class DemoFeedback {

    private static final Logger log = LoggerFactory.getLogger(DemoFeedback.class);

    /** The share of feedback requests the demo's customers answer. */
    static final double ANSWER_SHARE = 0.5;
    /** Reasons as often as customers give them; price first, as in most shops' exit surveys. */
    static final List<String> REASONS = List.of(
            "PRICE", "PRICE", "PRICE", "DELIVERY", "QUALITY", "SERVICE", "SELECTION", "MOVED", "NO_NEED", "OTHER");

    private static final String FEEDBACK_REQUEST = RetentionProcess.Element.TASK_SEND_FEEDBACK_REQUEST.id();
    private static final int BATCH = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeliveryQueries deliveries;
    private final CustomerEvents events;
    private final DemoState state;
    private final Clock clock;
    private final long seed;

    DemoFeedback(
            DeliveryQueries deliveries,
            CustomerEvents events,
            DemoState state,
            Clock clock,
            DemoProperties properties) {
        this.deliveries = deliveries;
        this.events = events;
        this.state = state;
        this.clock = clock;
        this.seed = properties.simulator().seed();
    }

    @Scheduled(
            fixedDelayString = "${loyalflow.demo.simulator.interval:5s}",
            initialDelayString = "${loyalflow.demo.simulator.interval:5s}")
    void scheduled() {
        try {
            if (state.find().map(row -> row.state() == DemoState.State.READY).orElse(false)) {
                int answered = answer();
                if (answered > 0) {
                    log.info("Demo simulator: {} customers answered the feedback request", answered);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Demo simulator: answering feedback requests failed; the next tick tries again", e);
        }
    }

    /** Answers the feedback requests drawn to be answered; returns how many answers were new. */
    int answer() {
        Instant since = clock.instant().minus(DemoSimulator.LOOKBACK);
        int answered = 0;
        for (DeliveryQueries.Sent request : deliveries.sentSince(List.of(DemoCampaigns.RETENTION), since, BATCH)) {
            if (!FEEDBACK_REQUEST.equals(request.activityId()) || request.customerId() == null) {
                continue;
            }
            String reason = reason(seed, request.deliveryId());
            if (reason == null) {
                continue;
            }
            CustomerEvents.Recorded recorded = events.record(
                    request.customerId(),
                    new CustomerEvents.EventRequest(
                            "demo-feedback-" + request.deliveryId(),
                            RetentionProcess.FEEDBACK_GIVEN,
                            null,
                            JSON.valueToTree(Map.of("reason", reason, "comment", "Answered by the demo's simulator"))));
            answered += recorded.created() ? 1 : 0;
        }
        return answered;
    }

    /** The reason a demo customer gives to one feedback request, or null when they do not answer it. */
    static String reason(long seed, String deliveryId) {
        SplittableRandom random = new SplittableRandom(seed * 0x2545F4914F6CDD1DL + deliveryId.hashCode());
        if (random.nextDouble() >= ANSWER_SHARE) {
            return null;
        }
        return REASONS.get(random.nextInt(REASONS.size()));
    }
}
