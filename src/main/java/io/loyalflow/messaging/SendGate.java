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
 * frequency cap, SMS quiet hours. Pure logic over facts read in one query ({@link GateFacts}).
 */
@Component
public class SendGate {

  private final MessagingProperties properties;

  SendGate(MessagingProperties properties) {
    this.properties = properties;
  }

  /** What the gate knows about the recipient, read at the moment of sending. */
  public record GateFacts(Long customerKey, Channel channel, String address, ConsentStatus consent,
      SuppressionReason suppression, int recentSends, Instant oldestRecentSend, ZoneId zone) {
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
      return new Verdict(GateDecision.NO_CONSENT, facts.consent() == null
          ? "no " + facts.channel().key() + " consent on record"
          : facts.channel().key() + " consent is " + facts.consent(), null);
    }
    MessagingProperties.FrequencyCap cap = cap(facts.channel());
    if (facts.recentSends() >= cap.max()) {
      String detail = facts.recentSends() + " " + facts.channel().key() + " message(s) in the last " + cap.window()
          + " (cap " + cap.max() + ")";
      if (whenCapped == WhenCapped.DEFER) {
        Instant frees = facts.oldestRecentSend() == null ? now.plus(cap.window()) : facts.oldestRecentSend().plus(cap.window());
        return new Verdict(GateDecision.CAPPED, detail + "; deferred", frees.isAfter(now) ? frees : now);
      }
      return new Verdict(GateDecision.CAPPED, detail + "; skipped", null);
    }
    if (facts.channel() == Channel.SMS) {
      Instant opens = smsWindowOpening(now, facts.zone());
      if (opens != null) {
        return new Verdict(GateDecision.QUIET_HOURS, "outside " + properties.quietHours().start() + "-"
            + properties.quietHours().end() + " in " + facts.zone().getId(), opens);
      }
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
   * Null while SMS may go out in the recipient's zone; otherwise the next moment the window opens.
   * Computed on local dates, so a daylight-saving change shifts the instant, not the local hour.
   */
  public Instant smsWindowOpening(Instant now, ZoneId zone) {
    LocalTime start = properties.quietHours().start();
    LocalTime end = properties.quietHours().end();
    ZonedDateTime local = now.atZone(zone);
    LocalTime time = local.toLocalTime();
    if (!time.isBefore(start) && time.isBefore(end)) {
      return null;
    }
    LocalDate day = time.isBefore(start) ? local.toLocalDate() : local.toLocalDate().plusDays(1);
    return ZonedDateTime.of(day, start, zone).toInstant();
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
