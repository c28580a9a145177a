package io.loyalflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.customer.Channel;
import io.loyalflow.customer.ConsentStatus;
import io.loyalflow.messaging.SendGate.GateFacts;
import io.loyalflow.messaging.SendGate.Verdict;
import io.loyalflow.messaging.SendGate.WhenCapped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Every decision of the send gate, with exact instants (default settings: caps 3/7 days and 1/day, 08:00-21:00). */
class SendGateTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** 10:00 in New York (EDT), 16:00 in Paris, 23:00 in Tokyo, 00:00 next day in Sydney. */
    private static final Instant NOON_UTC_ISH = Instant.parse("2026-06-01T14:00:00Z");

    private final SendGate gate = new SendGate(
            new MessagingProperties(null, null, null, null, null, null, null, null, null, null, null, null));

    private static GateFacts email(ConsentStatus consent, SuppressionReason suppression, int recent, Instant oldest) {
        return new GateFacts(7L, Channel.EMAIL, "ann@example.com", consent, suppression, recent, oldest, NEW_YORK);
    }

    private static GateFacts sms(ZoneId zone) {
        return new GateFacts(7L, Channel.SMS, "+12125550123", ConsentStatus.OPTED_IN, null, 0, null, zone);
    }

    private static GateFacts sms(int recent, Instant oldest, ZoneId zone) {
        return new GateFacts(7L, Channel.SMS, "+12125550123", ConsentStatus.OPTED_IN, null, recent, oldest, zone);
    }

    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    @Nested
    class Recipient {

        @ParameterizedTest
        @EnumSource(WhenCapped.class)
        void anUnknownOrErasedCustomerIsNoCustomer(WhenCapped whenCapped) {
            Verdict verdict = gate.decide(
                    new GateFacts(null, Channel.EMAIL, null, null, null, 0, null, null), whenCapped, NOON_UTC_ISH);

            assertThat(verdict.decision()).isEqualTo(GateDecision.NO_CUSTOMER);
            assertThat(verdict.passed()).isFalse();
            assertThat(verdict.retryAt()).isNull();
        }

        @Test
        void aCustomerWithoutAnAddressOnTheChannelIsNoAddress() {
            Verdict noEmail = gate.decide(
                    new GateFacts(7L, Channel.EMAIL, null, ConsentStatus.OPTED_IN, null, 0, null, NEW_YORK),
                    WhenCapped.SKIP,
                    NOON_UTC_ISH);
            Verdict noPhone = gate.decide(
                    new GateFacts(7L, Channel.SMS, null, ConsentStatus.OPTED_IN, null, 0, null, NEW_YORK),
                    WhenCapped.DEFER,
                    NOON_UTC_ISH);

            assertThat(noEmail.decision()).isEqualTo(GateDecision.NO_ADDRESS);
            assertThat(noEmail.detail()).contains("e-mail address");
            assertThat(noEmail.retryAt()).isNull();
            assertThat(noPhone.decision()).isEqualTo(GateDecision.NO_ADDRESS);
            assertThat(noPhone.detail()).contains("phone number");
            assertThat(noPhone.retryAt()).isNull();
        }
    }

    @Nested
    class ConsentAndSuppression {

        @ParameterizedTest
        @EnumSource(SuppressionReason.class)
        void aSuppressedAddressIsSkippedEvenWithConsent(SuppressionReason reason) {
            Verdict verdict =
                    gate.decide(email(ConsentStatus.OPTED_IN, reason, 0, null), WhenCapped.DEFER, NOON_UTC_ISH);

            assertThat(verdict.decision()).isEqualTo(GateDecision.SUPPRESSED);
            assertThat(verdict.detail()).contains("ann@example.com").contains(reason.name());
            assertThat(verdict.passed()).isFalse();
            assertThat(verdict.retryAt()).isNull();
        }

        @Test
        void suppressionIsReportedBeforeMissingConsentAndBeforeTheCap() {
            Verdict noConsent =
                    gate.decide(email(null, SuppressionReason.HARD_BOUNCE, 0, null), WhenCapped.SKIP, NOON_UTC_ISH);
            Verdict optedOutAndCapped = gate.decide(
                    email(
                            ConsentStatus.OPTED_OUT,
                            SuppressionReason.SPAM_REPORT,
                            9,
                            NOON_UTC_ISH.minus(Duration.ofDays(1))),
                    WhenCapped.DEFER,
                    NOON_UTC_ISH);

            assertThat(noConsent.decision()).isEqualTo(GateDecision.SUPPRESSED);
            assertThat(optedOutAndCapped.decision()).isEqualTo(GateDecision.SUPPRESSED);
            assertThat(optedOutAndCapped.retryAt()).isNull();
        }

        @Test
        void noConsentOnRecordIsNoConsent() {
            Verdict verdict = gate.decide(email(null, null, 0, null), WhenCapped.SKIP, NOON_UTC_ISH);

            assertThat(verdict.decision()).isEqualTo(GateDecision.NO_CONSENT);
            assertThat(verdict.detail()).isEqualTo("no email consent on record");
            assertThat(verdict.retryAt()).isNull();
        }

        @Test
        void anOptedOutCustomerIsNoConsentEvenWhenDeferringCaps() {
            Verdict verdict = gate.decide(
                    new GateFacts(
                            7L,
                            Channel.SMS,
                            "+12125550123",
                            ConsentStatus.OPTED_OUT,
                            null,
                            5,
                            NOON_UTC_ISH.minusSeconds(60),
                            NEW_YORK),
                    WhenCapped.DEFER,
                    NOON_UTC_ISH);

            assertThat(verdict.decision()).isEqualTo(GateDecision.NO_CONSENT);
            assertThat(verdict.detail()).isEqualTo("sms consent is OPTED_OUT");
            assertThat(verdict.retryAt()).isNull();
        }

        @Test
        void anOptedInUnsuppressedCustomerUnderTheCapPasses() {
            Verdict verdict = gate.decide(
                    email(ConsentStatus.OPTED_IN, null, 2, NOON_UTC_ISH.minus(Duration.ofDays(6))),
                    WhenCapped.SKIP,
                    NOON_UTC_ISH);

            assertThat(verdict.decision()).isEqualTo(GateDecision.PASSED);
            assertThat(verdict.passed()).isTrue();
            assertThat(verdict.retryAt()).isNull();
        }
    }

    @Nested
    class FrequencyCap {

        @Test
        void theThirdEmailOfTheWeekIsTheLastOne() {
            Instant oldest = Instant.parse("2026-05-27T09:15:00Z");

            Verdict skipped =
                    gate.decide(email(ConsentStatus.OPTED_IN, null, 3, oldest), WhenCapped.SKIP, NOON_UTC_ISH);

            assertThat(skipped.decision()).isEqualTo(GateDecision.CAPPED);
            assertThat(skipped.detail()).isEqualTo("3 email message(s) in the last PT168H (cap 3); skipped");
            assertThat(skipped.retryAt()).isNull();
            assertThat(skipped.passed()).isFalse();
        }

        @Test
        void aDeferredEmailWaitsUntilTheOldestCountedSendLeavesTheWindow() {
            Instant oldest = Instant.parse("2026-05-27T15:15:00Z");

            Verdict deferred =
                    gate.decide(email(ConsentStatus.OPTED_IN, null, 4, oldest), WhenCapped.DEFER, NOON_UTC_ISH);

            assertThat(deferred.decision()).isEqualTo(GateDecision.CAPPED);
            assertThat(deferred.detail()).endsWith("; deferred");
            assertThat(deferred.retryAt()).isEqualTo(Instant.parse("2026-06-03T15:15:00Z"));
        }

        @Test
        void aCapThatFreesUpAtNightWaitsOnForTheSendingWindowNotTwice() {
            // the oldest counted e-mail leaves the window at 05:15 in New York: the e-mail may go at 08:00
            Instant oldest = Instant.parse("2026-05-27T09:15:00Z");

            Verdict deferred =
                    gate.decide(email(ConsentStatus.OPTED_IN, null, 3, oldest), WhenCapped.DEFER, NOON_UTC_ISH);

            assertThat(deferred.decision()).isEqualTo(GateDecision.CAPPED);
            assertThat(deferred.retryAt()).isEqualTo(at("2026-06-03T08:00:00-04:00"));
            // an SMS whose cap frees at 23:00 in Tokyo goes at 08:00 the next morning
            Verdict sms = gate.decide(
                    sms(1, Instant.parse("2026-06-01T14:00:00Z"), TOKYO),
                    WhenCapped.DEFER,
                    Instant.parse("2026-06-02T01:00:00Z"));
            assertThat(sms.retryAt()).isEqualTo(at("2026-06-03T08:00:00+09:00"));
        }

        @Test
        void oneSmsPerDay() {
            Instant firstSms = Instant.parse("2026-06-01T13:00:00Z");

            Verdict skipped = gate.decide(sms(1, firstSms, NEW_YORK), WhenCapped.SKIP, NOON_UTC_ISH);
            Verdict deferred = gate.decide(sms(1, firstSms, NEW_YORK), WhenCapped.DEFER, NOON_UTC_ISH);

            assertThat(skipped.decision()).isEqualTo(GateDecision.CAPPED);
            assertThat(skipped.retryAt()).isNull();
            assertThat(deferred.decision()).isEqualTo(GateDecision.CAPPED);
            assertThat(deferred.retryAt()).isEqualTo(Instant.parse("2026-06-02T13:00:00Z"));
        }

        @Test
        void aCapWithoutAKnownOldestSendDefersByOneWindowFromNow() {
            Verdict deferred = gate.decide(sms(1, null, NEW_YORK), WhenCapped.DEFER, NOON_UTC_ISH);

            assertThat(deferred.retryAt()).isEqualTo(Instant.parse("2026-06-02T14:00:00Z"));
        }

        @Test
        void theCapIsCheckedBeforeQuietHours() {
            // 23:00 in Tokyo, and the customer already had today's SMS: the cap answers, with its own retry time.
            Verdict verdict =
                    gate.decide(sms(1, Instant.parse("2026-06-01T02:00:00Z"), TOKYO), WhenCapped.DEFER, NOON_UTC_ISH);

            assertThat(verdict.decision()).isEqualTo(GateDecision.CAPPED);
            assertThat(verdict.retryAt()).isEqualTo(Instant.parse("2026-06-02T02:00:00Z"));
        }

        @Test
        void theCapsAreTheDefaults() {
            assertThat(gate.cap(Channel.EMAIL)).isEqualTo(new MessagingProperties.FrequencyCap(3, Duration.ofDays(7)));
            assertThat(gate.cap(Channel.SMS)).isEqualTo(new MessagingProperties.FrequencyCap(1, Duration.ofDays(1)));
        }
    }

    @Nested
    class QuietHours {

        @ParameterizedTest(name = "{0} in {1}")
        @CsvSource({
            "2026-06-01T08:00:00-04:00, America/New_York",
            "2026-06-01T12:00:00-04:00, America/New_York",
            "2026-06-01T20:59:59-04:00, America/New_York",
            "2026-01-15T08:00:00-05:00, America/New_York",
            "2026-06-01T08:00:00+09:00, Asia/Tokyo",
            "2026-06-01T20:59:00+09:00, Asia/Tokyo",
            "2026-06-01T08:00:00+10:00, Australia/Sydney",
            "2026-12-01T20:30:00+11:00, Australia/Sydney",
            "2026-06-01T08:00:00+02:00, Europe/Paris",
            "2026-12-01T20:59:59+01:00, Europe/Paris"
        })
        void insideTheWindowAnSmsPasses(String localTime, String zone) {
            Verdict verdict = gate.decide(sms(ZoneId.of(zone)), WhenCapped.DEFER, at(localTime));

            assertThat(verdict.decision()).isEqualTo(GateDecision.PASSED);
            assertThat(verdict.retryAt()).isNull();
            assertThat(gate.smsWindowOpening(at(localTime), ZoneId.of(zone))).isNull();
        }

        @ParameterizedTest(name = "{0} in {1} waits until {2}")
        @CsvSource({
            // before 08:00: today at 08:00
            "2026-06-01T07:59:59-04:00, America/New_York, 2026-06-01T08:00:00-04:00",
            "2026-06-01T00:00:00-04:00, America/New_York, 2026-06-01T08:00:00-04:00",
            "2026-06-01T03:30:00+09:00, Asia/Tokyo, 2026-06-01T08:00:00+09:00",
            "2026-06-01T06:00:00+10:00, Australia/Sydney, 2026-06-01T08:00:00+10:00",
            "2026-01-10T07:00:00+01:00, Europe/Paris, 2026-01-10T08:00:00+01:00",
            // from 21:00 on: tomorrow at 08:00
            "2026-06-01T21:00:00-04:00, America/New_York, 2026-06-02T08:00:00-04:00",
            "2026-06-01T23:59:59-04:00, America/New_York, 2026-06-02T08:00:00-04:00",
            "2026-06-01T22:30:00+09:00, Asia/Tokyo, 2026-06-02T08:00:00+09:00",
            "2026-12-31T21:00:00+11:00, Australia/Sydney, 2027-01-01T08:00:00+11:00",
            "2026-07-14T21:15:00+02:00, Europe/Paris, 2026-07-15T08:00:00+02:00",
            // month end
            "2026-06-30T22:00:00+02:00, Europe/Paris, 2026-07-01T08:00:00+02:00"
        })
        void outsideTheWindowAnSmsIsDeferredToTheNextOpening(String localTime, String zone, String opening) {
            Verdict verdict = gate.decide(sms(ZoneId.of(zone)), WhenCapped.SKIP, at(localTime));

            assertThat(verdict.decision()).isEqualTo(GateDecision.QUIET_HOURS);
            assertThat(verdict.passed()).isFalse();
            assertThat(verdict.retryAt()).isEqualTo(at(opening));
            assertThat(verdict.detail()).isEqualTo("outside 08:00-21:00 in " + zone);
        }

        @Test
        void oneInstantIsDayInOneZoneAndNightInAnother() {
            assertThat(gate.decide(sms(NEW_YORK), WhenCapped.SKIP, NOON_UTC_ISH).decision())
                    .isEqualTo(GateDecision.PASSED);
            assertThat(gate.decide(sms(PARIS), WhenCapped.SKIP, NOON_UTC_ISH).decision())
                    .isEqualTo(GateDecision.PASSED);

            Verdict tokyo = gate.decide(sms(TOKYO), WhenCapped.SKIP, NOON_UTC_ISH);
            Verdict sydney = gate.decide(sms(SYDNEY), WhenCapped.SKIP, NOON_UTC_ISH);

            assertThat(tokyo.decision()).isEqualTo(GateDecision.QUIET_HOURS);
            assertThat(tokyo.retryAt()).isEqualTo(Instant.parse("2026-06-01T23:00:00Z"));
            assertThat(sydney.decision()).isEqualTo(GateDecision.QUIET_HOURS);
            assertThat(sydney.retryAt()).isEqualTo(Instant.parse("2026-06-01T22:00:00Z"));
        }

        @ParameterizedTest(name = "{0} in {1} waits until {2}")
        @CsvSource({
            // US spring forward, Sunday 2026-03-08 02:00 EST -> 03:00 EDT: the window opens at 08:00 EDT
            "2026-03-07T21:00:00-05:00, America/New_York, 2026-03-08T12:00:00Z",
            "2026-03-07T23:30:00-05:00, America/New_York, 2026-03-08T12:00:00Z",
            "2026-03-08T01:30:00-05:00, America/New_York, 2026-03-08T12:00:00Z",
            "2026-03-08T03:30:00-04:00, America/New_York, 2026-03-08T12:00:00Z",
            // US fall back, Sunday 2026-11-01 02:00 EDT -> 01:00 EST: the window opens at 08:00 EST
            "2026-10-31T22:00:00-04:00, America/New_York, 2026-11-01T13:00:00Z",
            "2026-11-01T01:30:00-04:00, America/New_York, 2026-11-01T13:00:00Z",
            "2026-11-01T01:30:00-05:00, America/New_York, 2026-11-01T13:00:00Z",
            "2026-11-01T07:59:00-05:00, America/New_York, 2026-11-01T13:00:00Z",
            // Europe, Sunday 2026-03-29 02:00 CET -> 03:00 CEST
            "2026-03-28T23:00:00+01:00, Europe/Paris, 2026-03-29T06:00:00Z",
            // Europe, Sunday 2026-10-25 03:00 CEST -> 02:00 CET
            "2026-10-24T21:30:00+02:00, Europe/Paris, 2026-10-25T07:00:00Z",
            // Sydney, Sunday 2026-10-04 02:00 AEST -> 03:00 AEDT
            "2026-10-03T22:00:00+10:00, Australia/Sydney, 2026-10-03T21:00:00Z",
            // Sydney, Sunday 2026-04-05 03:00 AEDT -> 02:00 AEST
            "2026-04-04T23:00:00+11:00, Australia/Sydney, 2026-04-04T22:00:00Z"
        })
        void acrossADaylightSavingChangeTheWindowOpensAt0800LocalTime(String localTime, String zone, String opening) {
            Verdict verdict = gate.decide(sms(ZoneId.of(zone)), WhenCapped.DEFER, at(localTime));

            assertThat(verdict.decision()).isEqualTo(GateDecision.QUIET_HOURS);
            assertThat(verdict.retryAt()).isEqualTo(Instant.parse(opening));
        }

        @Test
        void onTheDaylightSavingDaysThemselvesTheWindowFollowsLocalTime() {
            // 2026-03-08 08:00 EDT is 12:00Z (not 13:00Z as on the day before); 21:00 EDT is 01:00Z.
            assertThat(gate.decide(sms(NEW_YORK), WhenCapped.SKIP, Instant.parse("2026-03-08T11:59:59Z"))
                            .decision())
                    .isEqualTo(GateDecision.QUIET_HOURS);
            assertThat(gate.decide(sms(NEW_YORK), WhenCapped.SKIP, Instant.parse("2026-03-08T12:00:00Z"))
                            .decision())
                    .isEqualTo(GateDecision.PASSED);
            assertThat(gate.decide(sms(NEW_YORK), WhenCapped.SKIP, Instant.parse("2026-03-09T00:59:59Z"))
                            .decision())
                    .isEqualTo(GateDecision.PASSED);
            assertThat(gate.decide(sms(NEW_YORK), WhenCapped.SKIP, Instant.parse("2026-03-09T01:00:00Z"))
                            .retryAt())
                    .isEqualTo(Instant.parse("2026-03-09T12:00:00Z"));
            // 2026-11-01 08:00 EST is 13:00Z; 21:00 EST is 02:00Z.
            assertThat(gate.decide(sms(NEW_YORK), WhenCapped.SKIP, Instant.parse("2026-11-01T12:30:00Z"))
                            .retryAt())
                    .isEqualTo(Instant.parse("2026-11-01T13:00:00Z"));
            assertThat(gate.decide(sms(NEW_YORK), WhenCapped.SKIP, Instant.parse("2026-11-02T01:30:00Z"))
                            .decision())
                    .isEqualTo(GateDecision.PASSED);
            assertThat(gate.decide(sms(NEW_YORK), WhenCapped.SKIP, Instant.parse("2026-11-02T02:00:00Z"))
                            .retryAt())
                    .isEqualTo(Instant.parse("2026-11-02T13:00:00Z"));
        }

        @ParameterizedTest(name = "{0} in {1} waits until {2}")
        @CsvSource({
            "2026-06-01T02:30:00-04:00, America/New_York, 2026-06-01T08:00:00-04:00",
            "2026-06-01T21:00:00-04:00, America/New_York, 2026-06-02T08:00:00-04:00",
            "2026-06-01T02:30:00+02:00, Europe/Paris, 2026-06-01T08:00:00+02:00",
            "2026-06-01T02:30:00+09:00, Asia/Tokyo, 2026-06-01T08:00:00+09:00",
            // spring forward: 02:30 does not exist in New York on 8 March 2026 (it is 03:30 EDT); 08:00 EDT is 12:00Z
            "2026-03-08T03:30:00-04:00, America/New_York, 2026-03-08T12:00:00Z",
            "2026-03-29T03:30:00+02:00, Europe/Paris, 2026-03-29T06:00:00Z"
        })
        void anEmailAtNightIsDeferredToTheEmailWindowsOpening(String localTime, String zone, String opening) {
            GateFacts facts = new GateFacts(
                    7L, Channel.EMAIL, "ann@example.com", ConsentStatus.OPTED_IN, null, 0, null, ZoneId.of(zone));

            Verdict verdict = gate.decide(facts, WhenCapped.SKIP, at(localTime));

            assertThat(verdict.decision()).isEqualTo(GateDecision.QUIET_HOURS);
            assertThat(verdict.retryAt()).isEqualTo(opening.endsWith("Z") ? Instant.parse(opening) : at(opening));
            assertThat(verdict.detail()).isEqualTo("outside 08:00-21:00 in " + zone);
        }

        @Test
        void anEmailInsideItsWindowPasses() {
            assertThat(gate.decide(
                                    email(ConsentStatus.OPTED_IN, null, 0, null),
                                    WhenCapped.DEFER,
                                    at("2026-06-01T08:00:00-04:00"))
                            .decision())
                    .isEqualTo(GateDecision.PASSED);
            assertThat(gate.decide(
                                    email(ConsentStatus.OPTED_IN, null, 0, null),
                                    WhenCapped.DEFER,
                                    at("2026-06-01T20:59:59-04:00"))
                            .decision())
                    .isEqualTo(GateDecision.PASSED);
            assertThat(gate.windowOpening(Channel.EMAIL, at("2026-06-01T12:00:00-04:00"), NEW_YORK))
                    .isNull();
        }

        @Test
        void anEmailWindowThatStartsWhenItEndsIsSwitchedOff() {
            SendGate anyHour = new SendGate(new MessagingProperties(
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    new MessagingProperties.EmailWindow(LocalTime.of(0, 0), LocalTime.of(0, 0)),
                    null,
                    null,
                    null));

            Verdict verdict = anyHour.decide(
                    email(ConsentStatus.OPTED_IN, null, 0, null), WhenCapped.DEFER, at("2026-06-01T03:00:00-04:00"));

            assertThat(verdict.decision()).isEqualTo(GateDecision.PASSED);
            assertThat(verdict.retryAt()).isNull();
            // SMS keep their quiet hours
            assertThat(anyHour.decide(sms(NEW_YORK), WhenCapped.SKIP, at("2026-06-01T03:00:00-04:00"))
                            .decision())
                    .isEqualTo(GateDecision.QUIET_HOURS);
        }

        @Test
        void anEmailWindowThatEndsBeforeItStartsIsRefused() {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> new MessagingProperties.EmailWindow(LocalTime.of(21, 0), LocalTime.of(8, 0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("21:00-08:00");
        }

        @Test
        void theWindowIsConfigurable() {
            SendGate office = new SendGate(new MessagingProperties(
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    new MessagingProperties.QuietHours(LocalTime.of(9, 30), LocalTime.of(17, 0)),
                    null,
                    null,
                    null,
                    null));

            assertThat(office.decide(sms(PARIS), WhenCapped.SKIP, at("2026-06-01T09:29:00+02:00"))
                            .retryAt())
                    .isEqualTo(at("2026-06-01T09:30:00+02:00"));
            assertThat(office.decide(sms(PARIS), WhenCapped.SKIP, at("2026-06-01T09:30:00+02:00"))
                            .decision())
                    .isEqualTo(GateDecision.PASSED);
            Verdict evening = office.decide(sms(PARIS), WhenCapped.SKIP, at("2026-06-01T17:00:00+02:00"));
            assertThat(evening.retryAt()).isEqualTo(at("2026-06-02T09:30:00+02:00"));
            assertThat(evening.detail()).isEqualTo("outside 09:30-17:00 in Europe/Paris");
        }
    }

    @Nested
    class TestSends {

        @Test
        void aTestSendPassesWithoutConsentCapOrWindow() {
            Verdict verdict = gate.decideTest(null, Channel.SMS, "+12125550123");

            assertThat(verdict.decision()).isEqualTo(GateDecision.PASSED_TEST);
            assertThat(verdict.passed()).isTrue();
            assertThat(verdict.retryAt()).isNull();
        }

        @ParameterizedTest
        @EnumSource(SuppressionReason.class)
        void aTestSendToASuppressedAddressIsRefused(SuppressionReason reason) {
            Verdict verdict = gate.decideTest(reason, Channel.EMAIL, "analyst@shop.example");

            assertThat(verdict.decision()).isEqualTo(GateDecision.SUPPRESSED);
            assertThat(verdict.passed()).isFalse();
            assertThat(verdict.detail()).contains("analyst@shop.example").contains(reason.name());
        }
    }
}
