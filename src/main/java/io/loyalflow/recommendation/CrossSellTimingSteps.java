package io.loyalflow.recommendation;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * What a "Time the cross-sell offer" step does: checks its inputs and turns the median interval after the
 * order ({@link CrossSellTiming}) into the journey's wait, clamped to the step's bounds; the step's default
 * when the purchase data say nothing.
 */
@Service
class CrossSellTimingSteps {

    static final String PURCHASE_DATA = "PURCHASE_DATA";
    static final String DEFAULT = "DEFAULT";

    /** The step's inputs as the model gave them (null when not set); the activity's name and id name it in refusals. */
    record Step(
            String activityName,
            String activityId,
            String orderId,
            String minWait,
            String maxWait,
            String defaultWait) {

        String label() {
            return "Step '" + (activityName == null ? activityId : activityName) + "'";
        }
    }

    /** The wait as an ISO-8601 duration, and where it came from. */
    record Wait(String duration, String source) {}

    private final CrossSellTiming timing;

    CrossSellTimingSteps(CrossSellTiming timing) {
        this.timing = timing;
    }

    Wait plan(Step step) {
        String orderId = trimmed(step.orderId());
        if (orderId == null) {
            throw new IllegalArgumentException(
                    step.label() + ": no orderId (an input of the task or a process variable)");
        }
        Duration min = duration(step, "minWait", step.minWait(), false);
        Duration max = duration(step, "maxWait", step.maxWait(), false);
        Duration fallback = duration(step, "defaultWait", step.defaultWait(), true);
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    step.label() + ": minWait (" + min + ") must not be longer than maxWait (" + max + ")");
        }
        if ((min != null && fallback.compareTo(min) < 0) || (max != null && fallback.compareTo(max) > 0)) {
            throw new IllegalArgumentException(
                    step.label() + ": defaultWait (" + fallback + ") must lie between minWait and maxWait");
        }
        Optional<Duration> median = timing.medianIntervalAfter(orderId);
        if (median.isEmpty()) {
            return new Wait(fallback.toString(), DEFAULT);
        }
        Duration wait = median.get();
        if (min != null && wait.compareTo(min) < 0) {
            wait = min;
        }
        if (max != null && wait.compareTo(max) > 0) {
            wait = max;
        }
        return new Wait(wait.toString(), PURCHASE_DATA);
    }

    private static Duration duration(Step step, String input, String value, boolean required) {
        String text = trimmed(value);
        if (text == null) {
            if (required) {
                throw new IllegalArgumentException(step.label() + ": " + input + " is required (e.g. P7D)");
            }
            return null;
        }
        Duration parsed;
        try {
            parsed = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    step.label() + ": " + input
                            + " must be an ISO-8601 duration in days, hours, minutes or seconds (e.g. P7D, PT36H), got \""
                            + text + "\"",
                    e);
        }
        if (parsed.isNegative()) {
            throw new IllegalArgumentException(step.label() + ": " + input + " must not be negative, got " + text);
        }
        return parsed;
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
