package io.loyalflow.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalflow.journey.CustomerEvents;
import io.loyalflow.platform.problem.Refusal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The demo's satisfaction survey answers (never under a production profile: {@link SimulatorGuard}): random demo
 * customers answer the NPS question ("How likely are you to recommend us?", 0 to 10) at
 * {@value #ANSWERS_PER_MINUTE} a minute, a minute's worth at the first tick, through the customer events service
 * behind {@code POST /api/customers/{id}/events} (type SurveyAnswered, data {@code {"score", "comment"}}), as a
 * survey tool would. The answers enter the demo advocate campaign at once. Scores are skewed as retail answers are
 * (about half promoters, a fifth detractors); each answer is drawn from the seed and its event id.
 */
@Component
@Conditional(SimulatorGuard.class)
class DemoSurveys {

    static final int ANSWERS_PER_MINUTE = 4;
    static final String EVENT_PREFIX = "demo-nps-";
    private static final Logger log = LoggerFactory.getLogger(DemoSurveys.class);
    /** Percent of answers per score 0..10: an NPS of about +35, as a well-liked shop gets. */
    private static final int[] SHARES = {2, 2, 2, 3, 3, 5, 6, 10, 15, 22, 30};

    private static final String[] DETRACTOR_COMMENTS = {
        "My parcel arrived late and the case was cracked.",
        "Customer service never answered my e-mail.",
        "The CD I ordered was out of stock after I paid.",
        ""
    };
    private static final String[] PROMOTER_COMMENTS = {
        "Great selection, fast delivery.", "I tell all my friends about you.", ""
    };

    private final DemoProperties.Simulator settings;
    private final DemoState state;
    private final CustomerEvents events;
    private final Clock clock;
    private final ReentrantLock ticking = new ReentrantLock();
    private Instant lastTick;
    private double carry;

    DemoSurveys(DemoProperties properties, DemoState state, CustomerEvents events, Clock clock) {
        this.settings = properties.simulator();
        this.state = state;
        this.events = events;
        this.clock = clock;
    }

    @Scheduled(
            fixedDelayString = "${loyalflow.demo.simulator.interval:5s}",
            initialDelayString = "${loyalflow.demo.simulator.interval:5s}")
    void scheduled() {
        try {
            if (state.find().map(row -> row.state() == DemoState.State.READY).orElse(false)) {
                tick();
            }
        } catch (RuntimeException e) {
            log.warn("Demo surveys: a tick failed; the next one tries again", e);
        }
    }

    /** The answers due since the last tick; returns how many were recorded. */
    int tick() {
        ticking.lock();
        try {
            Instant now = clock.instant();
            int customers = state.find().map(DemoState.Row::customers).orElse(0);
            double minutes = lastTick == null || lastTick.isAfter(now)
                    ? 1
                    : Math.min(Duration.between(lastTick, now).toMillis(), 60_000) / 60_000.0;
            lastTick = now;
            if (customers == 0) {
                return 0;
            }
            carry += ANSWERS_PER_MINUTE * minutes;
            int recorded = 0;
            for (int i = 0; carry >= 1 - 1e-9; i++, carry--) {
                String eventId = EVENT_PREFIX + now.getEpochSecond() + "-" + i;
                SplittableRandom random = new SplittableRandom(settings.seed() * 131 + eventId.hashCode());
                String customerId =
                        String.format("%s%05d", CdnowOrderSource.CUSTOMER_PREFIX, 1 + random.nextInt(customers));
                int score = score(random);
                recorded += answer(customerId, eventId, score, comment(random, score)) ? 1 : 0;
            }
            if (recorded > 0) {
                log.info("Demo surveys: {} answer(s)", recorded);
            }
            return recorded;
        } finally {
            ticking.unlock();
        }
    }

    /** A score from 0 to 10, drawn with the shares of {@link #SHARES}. */
    static int score(SplittableRandom random) {
        int draw = random.nextInt(100);
        for (int score = 0; score < SHARES.length; score++) {
            draw -= SHARES[score];
            if (draw < 0) {
                return score;
            }
        }
        return 10;
    }

    private static String comment(SplittableRandom random, int score) {
        if (score >= 7 && score <= 8) {
            return "";
        }
        String[] comments = score <= 6 ? DETRACTOR_COMMENTS : PROMOTER_COMMENTS;
        return comments[random.nextInt(comments.length)];
    }

    private boolean answer(String customerId, String eventId, int score, String comment) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("score", score);
        if (!comment.isEmpty()) {
            data.put("comment", comment);
        }
        try {
            return events.record(customerId, new CustomerEvents.EventRequest(eventId, "SurveyAnswered", null, data))
                    .created();
        } catch (Refusal e) {
            log.debug("Demo surveys: answer {} refused: {}", eventId, e.getMessage());
            return false;
        }
    }
}
