package io.loyalflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * When a smart-sent e-mail goes out: the first daily hh:00 of the customer's zone at or after the
 * step is reached; an hour the clocks skip moves forward by the gap, a repeated hour is its first
 * occurrence; an hour outside the e-mail window moves to the window's edge.
 */
class SmartSendTimesTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    private static Instant next(String now, ZoneId zone, int hour) {
        return SmartSend.next(Instant.parse(now), zone, hour);
    }

    @Test
    void theSameInstantIsADifferentHourInEachZone() {
        // 14:00 UTC: 23:00 in Tokyo (20:00 has passed: tomorrow), 10:00 in New York (20:00 is still ahead: today)
        assertThat(next("2026-06-01T14:00:00Z", TOKYO, 20)).isEqualTo("2026-06-02T11:00:00Z");
        assertThat(next("2026-06-01T14:00:00Z", NEW_YORK, 20)).isEqualTo("2026-06-02T00:00:00Z");
        assertThat(next("2026-06-01T14:00:00Z", ZoneId.of("UTC"), 20)).isEqualTo("2026-06-01T20:00:00Z");
        // east of the date line: 14:00 UTC is 04:00 the next day in Kiritimati (+14)
        assertThat(next("2026-06-01T14:00:00Z", ZoneId.of("Pacific/Kiritimati"), 9))
                .isEqualTo("2026-06-01T19:00:00Z");
        assertThat(next("2026-06-01T14:00:00Z", ZoneId.of("Asia/Kolkata"), 20)).isEqualTo("2026-06-01T14:30:00Z");
    }

    @Test
    void theHourItselfIsTheMomentAndOneSecondLaterIsTomorrow() {
        assertThat(next("2026-06-01T11:00:00Z", TOKYO, 20)).isEqualTo("2026-06-01T11:00:00Z");
        assertThat(next("2026-06-01T11:00:01Z", TOKYO, 20)).isEqualTo("2026-06-02T11:00:00Z");
        assertThat(next("2026-06-01T10:59:59Z", TOKYO, 20)).isEqualTo("2026-06-01T11:00:00Z");
        assertThat(next("2026-06-01T15:00:00Z", TOKYO, 0)).isEqualTo("2026-06-01T15:00:00Z");
        assertThat(next("2026-06-01T15:00:00Z", TOKYO, 23)).isEqualTo("2026-06-02T14:00:00Z");
    }

    @Test
    void anHourTheClocksSkipMovesForwardByTheGap() {
        // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT; 02:00 does not exist that day
        assertThat(next("2026-03-08T05:00:00Z", NEW_YORK, 2)).isEqualTo("2026-03-08T07:00:00Z"); // 03:00 EDT
        // the day after, 02:00 exists again (EDT)
        assertThat(next("2026-03-08T07:00:01Z", NEW_YORK, 2)).isEqualTo("2026-03-09T06:00:00Z");
        // the hours around the gap keep their offsets: 01:00 EST, 03:00 EDT
        assertThat(next("2026-03-08T05:00:00Z", NEW_YORK, 1)).isEqualTo("2026-03-08T06:00:00Z");
        assertThat(next("2026-03-08T05:00:00Z", NEW_YORK, 3)).isEqualTo("2026-03-08T07:00:00Z");
        // Lord Howe Island moves its clocks by 30 minutes: 02:00 becomes 02:30 (+11:00)
        assertThat(next("2026-10-03T13:00:00Z", ZoneId.of("Australia/Lord_Howe"), 2))
                .isEqualTo("2026-10-03T15:30:00Z");
        // Sydney springs forward in October: 02:00 AEST → 03:00 AEDT (+11)
        assertThat(next("2026-10-03T14:00:00Z", ZoneId.of("Australia/Sydney"), 2))
                .isEqualTo("2026-10-03T16:00:00Z");
    }

    @Test
    void anHourThatHappensTwiceIsItsFirstOccurrence() {
        // New York, 1 November 2026: 02:00 EDT falls back to 01:00 EST; 01:00 happens at 05:00Z and at 06:00Z
        assertThat(next("2026-11-01T04:00:00Z", NEW_YORK, 1)).isEqualTo("2026-11-01T05:00:00Z");
        // reached between the two 01:00s: that day's moment has passed, the next is the following day's
        assertThat(next("2026-11-01T05:30:00Z", NEW_YORK, 1)).isEqualTo("2026-11-02T06:00:00Z");
        // Berlin, 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:00 is at 00:00Z and 01:00Z
        assertThat(next("2026-10-24T22:00:00Z", ZoneId.of("Europe/Berlin"), 2)).isEqualTo("2026-10-25T00:00:00Z");
    }

    @Test
    void theUsualHourIsMovedIntoTheEmailWindow() {
        MessagingProperties.EmailWindow window = new MessagingProperties.EmailWindow(null, null); // 08:00-21:00
        // before the start: the start
        assertThat(SmartSend.inWindow(0, window)).isEqualTo(LocalTime.of(8, 0));
        assertThat(SmartSend.inWindow(2, window)).isEqualTo(LocalTime.of(8, 0));
        assertThat(SmartSend.inWindow(7, window)).isEqualTo(LocalTime.of(8, 0));
        // inside: kept
        assertThat(SmartSend.inWindow(8, window)).isEqualTo(LocalTime.of(8, 0));
        assertThat(SmartSend.inWindow(14, window)).isEqualTo(LocalTime.of(14, 0));
        assertThat(SmartSend.inWindow(20, window)).isEqualTo(LocalTime.of(20, 0));
        // at or after the end: the last whole hour inside
        assertThat(SmartSend.inWindow(21, window)).isEqualTo(LocalTime.of(20, 0));
        assertThat(SmartSend.inWindow(23, window)).isEqualTo(LocalTime.of(20, 0));
    }

    @Test
    void aWindowOffTheHourClampsToItsEdges() {
        MessagingProperties.EmailWindow window =
                new MessagingProperties.EmailWindow(LocalTime.of(9, 30), LocalTime.of(17, 45));
        assertThat(SmartSend.inWindow(6, window)).isEqualTo(LocalTime.of(9, 30));
        assertThat(SmartSend.inWindow(9, window)).isEqualTo(LocalTime.of(9, 30));
        assertThat(SmartSend.inWindow(10, window)).isEqualTo(LocalTime.of(10, 0));
        assertThat(SmartSend.inWindow(17, window)).isEqualTo(LocalTime.of(17, 0));
        assertThat(SmartSend.inWindow(18, window)).isEqualTo(LocalTime.of(17, 0));
        // a window shorter than an hour: its start
        MessagingProperties.EmailWindow narrow =
                new MessagingProperties.EmailWindow(LocalTime.of(9, 10), LocalTime.of(9, 50));
        assertThat(SmartSend.inWindow(22, narrow)).isEqualTo(LocalTime.of(9, 10));
    }

    @Test
    void withTheWindowSwitchedOffTheUsualHourStays() {
        MessagingProperties.EmailWindow off =
                new MessagingProperties.EmailWindow(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
        assertThat(SmartSend.inWindow(2, off)).isEqualTo(LocalTime.of(2, 0));
        assertThat(SmartSend.inWindow(23, off)).isEqualTo(LocalTime.of(23, 0));
    }

    @Test
    void theMovedTimeIsLocalOnDaylightSavingDaysToo() {
        // a New York customer who buys at 02:00 gets the e-mail at 08:00 EDT on the day clocks spring forward
        assertThat(SmartSend.next(
                        Instant.parse("2026-03-08T05:00:00Z"),
                        NEW_YORK,
                        SmartSend.inWindow(2, new MessagingProperties.EmailWindow(null, null))))
                .isEqualTo("2026-03-08T12:00:00Z");
    }

    @Test
    void anHourOutsideTheDayIsRefused() {
        assertThatThrownBy(() -> next("2026-06-01T14:00:00Z", TOKYO, 24)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> next("2026-06-01T14:00:00Z", TOKYO, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
