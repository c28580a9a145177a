package io.loyalflow.campaign;

import static io.loyalflow.campaign.CampaignSettings.MAX_DURATION;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;

/**
 * The durations campaign settings give (waits, series delays, recurring cycles) as the engine's timers read
 * them, and the range a setting may use.
 */
final class CampaignDurations {

    static final String MAX_DURATION_TEXT = "P3650D";

    private CampaignDurations() {}

    static boolean isDuration(String text) {
        try {
            Duration duration = durationOf(text);
            return !duration.isNegative() && !duration.isZero() && duration.compareTo(MAX_DURATION) <= 0;
        } catch (DateTimeParseException | ArithmeticException e) {
            return false;
        }
    }

    /**
     * A delay a timer can wait: zero or more, in a form both java.time and the engine's timers
     * (javax.xml.datatype durations: no weeks, upper-case designators) read.
     */
    static boolean isDelay(String text) {
        try {
            DatatypeFactory.newInstance().newDuration(text);
            Duration delay = durationOf(text);
            return !delay.isNegative() && delay.compareTo(MAX_DURATION) <= 0;
        } catch (DateTimeParseException
                | ArithmeticException
                | IllegalArgumentException
                | UnsupportedOperationException
                | DatatypeConfigurationException e) {
            return false;
        }
    }

    /** An ISO-8601 duration as the engine's timers read it: days, hours and so on; P1M as 30 days. */
    static Duration durationOf(String text) {
        int t = text.indexOf('T');
        if (t < 0) {
            Period period = Period.parse(text);
            return Duration.ofDays(period.getYears() * 365L + period.getMonths() * 30L + period.getDays());
        }
        Duration time = Duration.parse("P" + text.substring(t));
        if (t == 1) {
            return time;
        }
        Period period = Period.parse(text.substring(0, t));
        return time.plusDays(period.getYears() * 365L + period.getMonths() * 30L + period.getDays());
    }
}
