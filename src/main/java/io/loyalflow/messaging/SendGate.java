package io.loyalflow.messaging;

import io.loyalflow.customer.Channel;
import io.loyalflow.customer.ConsentStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.springframework.stereotype.Component;

/**
 * Decides at the moment of sending whether a message may go out now: consent, suppression,
 * frequency cap, and the channel's sending window in the recipient's local time (SMS quiet hours, the
 * e-mail window). Pure logic over facts read in one query ({@link GateFacts}). "Not now" verdicts
 * carry the moment the message may go ({@link Verdict#retryAt()}): the send step waits until then.
 */
@Component
class SendGate {

    private final MessagingProperties properties;

    SendGate(MessagingProperties properties) {
        this.properties = properties;
    }

    /** What the gate knows about the recipient, read at the moment of sending. */
    public record GateFacts(
            Long customerKey,
            Channel channel,
            String address,
            ConsentStatus consent,
            SuppressionReason suppression,
            int recentSends,
            Instant oldestRecentSend,
            ZoneId zone) {

        /** The same facts with the cap's count read again (under the cap's lock). */
        public GateFacts recounted(int recent, Instant oldest) {
            return new GateFacts(customerKey, channel, address, consent, suppression, recent, oldest, zone);
        }
    }

    public record Verdict(GateDecision decision, String detail, Instant retryAt) {

        public boolean passed() {
            return decision == GateDecision.PASSED || decision == GateDecision.PASSED_TEST;
        }

        static Verdict pass() {
            return new Verdict(GateDecision.PASSED, null, null);
        }
    }

    public enum WhenCapped {
        SKIP,
        DEFER
    }

    /** A journey's send to a customer. */
    public Verdict decide(GateFacts facts, WhenCapped whenCapped, Instant now) {
        if (facts.customerKey() == null) {
            return new Verdict(GateDecision.NO_CUSTOMER, "no such customer (unknown or erased)", null);
        }
        if (facts.address() == null) {
            return new Verdict(GateDecision.NO_ADDRESS, "the customer has no " + noun(facts.channel()), null);
        }
        if (facts.suppression() != null) {
            return suppressed(facts);
        }
        if (facts.consent() != ConsentStatus.OPTED_IN) {
            return new Verdict(
                    GateDecision.NO_CONSENT,
                    facts.consent() == null
                            ? "no " + facts.channel().key() + " consent on record"
                            : facts.channel().key() + " consent is " + facts.consent(),
                    null);
        }
        MessagingProperties.FrequencyCap cap = cap(facts.channel());
        if (facts.recentSends() >= cap.max()) {
            String detail = facts.recentSends() + " " + facts.channel().key() + " message(s) in the last "
                    + cap.window() + " (cap " + cap.max() + ")";
            if (whenCapped == WhenCapped.DEFER) {
                Instant frees = facts.oldestRecentSend() == null
                        ? now.plus(cap.window())
                        : facts.oldestRecentSend().plus(cap.window());
                // the cap may free up at night: then the message waits on for the window, not twice
                return new Verdict(
                        GateDecision.CAPPED,
                        detail + "; deferred",
                        sendableFrom(facts.channel(), frees.isAfter(now) ? frees : now, facts.zone()));
            }
            return new Verdict(GateDecision.CAPPED, detail + "; skipped", null);
        }
        Instant opens = windowOpening(facts.channel(), now, facts.zone());
        if (opens != null) {
            return new Verdict(
                    GateDecision.QUIET_HOURS,
                    "outside " + windowText(facts.channel()) + " in "
                            + facts.zone().getId(),
                    opens);
        }
        return Verdict.pass();
    }

    /** A test send to an analyst's address: suppression still applies, nothing else does. */
    public Verdict decideTest(SuppressionReason suppression, Channel channel, String address) {
        if (suppression != null) {
            return suppressed(new GateFacts(null, channel, address, null, suppression, 0, null, null));
        }
        return new Verdict(GateDecision.PASSED_TEST, "test send: consent, caps and quiet hours do not apply", null);
    }

    /**
     * Null while a message of the channel may go out in the recipient's zone; otherwise the next moment
     * its sending window opens (SMS: quiet hours; e-mail: the e-mail window, unless switched off).
     * Computed on local dates, so a daylight-saving change shifts the instant, not the local hour.
     */
    public Instant windowOpening(Channel channel, Instant now, ZoneId zone) {
        if (channel == Channel.SMS) {
            return opening(
                    now,
                    zone,
                    properties.quietHours().start(),
                    properties.quietHours().end());
        }
        MessagingProperties.EmailWindow window = properties.emailWindow();
        return window.alwaysOpen() ? null : opening(now, zone, window.start(), window.end());
    }

    /** {@link #windowOpening} for SMS. */
    public Instant smsWindowOpening(Instant now, ZoneId zone) {
        return windowOpening(Channel.SMS, now, zone);
    }

    /** {@code moment} itself when the channel's window is open then, else the window's next opening after it. */
    Instant sendableFrom(Channel channel, Instant moment, ZoneId zone) {
        Instant opens = zone == null ? null : windowOpening(channel, moment, zone);
        return opens == null ? moment : opens;
    }

    private static Instant opening(Instant now, ZoneId zone, LocalTime start, LocalTime end) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        if (!time.isBefore(start) && time.isBefore(end)) {
            return null;
        }
        LocalDate day =
                time.isBefore(start) ? local.toLocalDate() : local.toLocalDate().plusDays(1);
        return ZonedDateTime.of(day, start, zone).toInstant();
    }

    private String windowText(Channel channel) {
        return channel == Channel.SMS
                ? properties.quietHours().start() + "-"
                        + properties.quietHours().end()
                : properties.emailWindow().start() + "-"
                        + properties.emailWindow().end();
    }

    public MessagingProperties.FrequencyCap cap(Channel channel) {
        return channel == Channel.EMAIL ? properties.emailCap() : properties.smsCap();
    }

    private static Verdict suppressed(GateFacts facts) {
        return new Verdict(GateDecision.SUPPRESSED, facts.address() + " is suppressed: " + facts.suppression(), null);
    }

    private static String noun(Channel channel) {
        return channel == Channel.EMAIL ? "e-mail address" : "phone number";
    }
}
