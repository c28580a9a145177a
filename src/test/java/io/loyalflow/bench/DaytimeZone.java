package io.loyalflow.bench;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A time zone in which it is about noon now. Journeys defer e-mail outside the customer's sending
 * window (08:00–21:00 local), so a benchmark of sends whose customers all sit in one real zone
 * measures nothing but waiting when it happens to run at that zone's night.
 */
final class DaytimeZone {

    private DaytimeZone() {}

    static ZoneId now(Clock clock) {
        int utcHour = ZonedDateTime.now(clock.withZone(ZoneId.of("UTC"))).getHour();
        int offset = 12 - utcHour;
        if (offset > 14) {
            offset -= 24;
        }
        if (offset < -12) {
            offset += 24;
        }
        // POSIX-style Etc zones count the other way round: Etc/GMT-3 is three hours ahead of UTC.
        return ZoneId.of(offset == 0 ? "Etc/UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset));
    }
}
