package io.loyalflow.messaging;

import io.loyalflow.customer.CustomerProperties;
import io.loyalflow.customer.CustomerService;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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
 */
@Service
public class SmartSend {

  /**
   * @param sendAt when the e-mail goes out
   * @param hour the local hour used: the usual purchase hour, else the fallback
   * @param fallback whether the customer had no usual purchase hour (no orders, or unknown)
   */
  public record Plan(Instant sendAt, ZoneId zone, int hour, boolean fallback) {
  }

  private final CustomerService customers;
  private final CustomerProperties customerProperties;
  private final Clock clock;

  SmartSend(CustomerService customers, CustomerProperties customerProperties, Clock clock) {
    this.customers = customers;
    this.customerProperties = customerProperties;
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
    ZoneId zone = purchaseClock.map(CustomerService.PurchaseClock::zone).orElse(customerProperties.defaultTimeZone());
    Integer usual = purchaseClock.map(CustomerService.PurchaseClock::usualPurchaseHour).orElse(null);
    int hour = usual != null ? usual : fallbackHour;
    return new Plan(next(clock.instant(), zone, hour), zone, hour, usual == null);
  }

  /** The first daily moment of {@code hour}:00 in {@code zone} at or after {@code now} (DST rules above). */
  public static Instant next(Instant now, ZoneId zone, int hour) {
    requireHour(hour);
    LocalDate day = now.atZone(zone).toLocalDate();
    // Today's moment may have passed; tomorrow's cannot have (even a zone that skips a whole day,
    // as Samoa did, moves a skipped day's moment forward past now).
    for (int days = 0; ; days++) {
      Instant moment = ZonedDateTime.of(day.plusDays(days), LocalTime.of(hour, 0), zone).toInstant();
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
