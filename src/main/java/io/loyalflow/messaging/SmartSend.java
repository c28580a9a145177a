package io.loyalflow.messaging;

import io.loyalflow.customer.CustomerProperties;
import io.loyalflow.customer.CustomerService;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Smart send: when an e-mail should go out so that it arrives at the hour of day the customer
 * usually buys, in their own time zone. The journey waits for that moment on a timer, so Cockpit
 * shows who waits until when.
 *
 * <p>Each local day has one smart-send moment, {@code ZonedDateTime.of(day, hour:00, zone)}: on a
 * day the hour does not exist (clocks spring forward over it) the moment moves forward by the gap
 * (02:00 in a 02:00–03:00 gap is 03:00 new time); on a day it happens twice (clocks fall back) it is
 * the first of the two, at the earlier offset. The send time is the first such moment at or after the
 * step is reached; a step reached between the two occurrences of a repeated hour waits for the next day.
 *
 * <p>Smart send never fights the e-mail window ({@code loyalflow.messaging.email-window}): an hour
 * before the window's start is moved to the start, an hour at or after its end to the last whole hour
 * inside it (window 08:00-21:00: a customer who buys at 02:00 gets the e-mail at 08:00, one who buys
 * at 22:00 gets it at 20:00). With the window switched off the usual hour is kept as it is.
 */
@Service
public class SmartSend {

    /**
     * @param sendAt when the e-mail goes out
     * @param hour the customer's usual purchase hour, else the fallback hour
     * @param at the local time the e-mail goes out: {@code hour}:00, moved into the e-mail window
     * @param fallback whether the customer had no usual purchase hour (no orders, or unknown)
     */
    public record Plan(Instant sendAt, ZoneId zone, int hour, LocalTime at, boolean fallback) {}

    private final CustomerService customers;
    private final CustomerProperties customerProperties;
    private final MessagingProperties messagingProperties;
    private final Clock clock;

    SmartSend(
            CustomerService customers,
            CustomerProperties customerProperties,
            MessagingProperties messagingProperties,
            Clock clock) {
        this.customers = customers;
        this.customerProperties = customerProperties;
        this.messagingProperties = messagingProperties;
        this.clock = clock;
    }

    /**
     * The customer's next usual purchase hour from now; the fallback hour for a customer without one. An
     * unknown or erased customer gets the fallback hour in the default zone: the send gate then skips the
     * e-mail, and the wait before it should not fail the journey.
     */
    public Plan plan(String customerId, int fallbackHour) {
        requireHour(fallbackHour);
        Optional<CustomerService.PurchaseClock> purchaseClock = customers.purchaseClock(customerId);
        ZoneId zone =
                purchaseClock.map(CustomerService.PurchaseClock::zone).orElse(customerProperties.defaultTimeZone());
        Integer usual = purchaseClock
                .map(CustomerService.PurchaseClock::usualPurchaseHour)
                .orElse(null);
        int hour = usual != null ? usual : fallbackHour;
        LocalTime at = inWindow(hour, messagingProperties.emailWindow());
        return new Plan(next(clock.instant(), zone, at), zone, hour, at, usual == null);
    }

    /** {@code hour}:00, moved into the e-mail window (rules above). */
    public static LocalTime inWindow(int hour, MessagingProperties.EmailWindow window) {
        requireHour(hour);
        LocalTime time = LocalTime.of(hour, 0);
        if (window.alwaysOpen()) {
            return time;
        }
        if (time.isBefore(window.start())) {
            return window.start();
        }
        if (!time.isBefore(window.end())) {
            LocalTime lastWholeHour = window.end().truncatedTo(ChronoUnit.HOURS);
            LocalTime last = lastWholeHour.equals(window.end()) ? lastWholeHour.minusHours(1) : lastWholeHour;
            return last.isBefore(window.start()) ? window.start() : last;
        }
        return time;
    }

    /** The first daily moment of {@code hour}:00 in {@code zone} at or after {@code now} (DST rules above). */
    public static Instant next(Instant now, ZoneId zone, int hour) {
        requireHour(hour);
        return next(now, zone, LocalTime.of(hour, 0));
    }

    /** The first daily moment of the local {@code time} in {@code zone} at or after {@code now} (DST rules above). */
    public static Instant next(Instant now, ZoneId zone, LocalTime time) {
        LocalDate day = now.atZone(zone).toLocalDate();
        // Today's moment may have passed; tomorrow's cannot have (even a zone that skips a whole day,
        // as Samoa did, moves a skipped day's moment forward past now).
        for (int days = 0; ; days++) {
            Instant moment = ZonedDateTime.of(day.plusDays(days), time, zone).toInstant();
            if (!moment.isBefore(now)) {
                return moment;
            }
        }
    }

    private static void requireHour(int hour) {
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("an hour of the day is 0 to 23, not " + hour);
        }
    }
}
