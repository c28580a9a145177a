package io.loyalflow.messaging.webhook;

import static io.loyalflow.messaging.webhook.DeliveryRow.advance;
import static io.loyalflow.messaging.webhook.StoredEvent.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.customer.Channel;
import io.loyalflow.messaging.DeliveryStatus;
import io.loyalflow.messaging.EngagementMessages;
import io.loyalflow.messaging.SuppressionReason;
import io.loyalflow.messaging.Suppressions;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What Twilio's webhooks mean: status callbacks move an SMS delivery on (and error codes suppress dead
 * numbers), inbound messages with a STOP, START or HELP keyword change the sender's consent.
 */
@Component
class TwilioEventMapping {

    private static final Set<String> STOP_WORDS =
            Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT");
    private static final Set<String> START_WORDS = Set.of("START", "YES", "UNSTOP");
    private static final Set<String> HELP_WORDS = Set.of("HELP", "INFO");
    /** Twilio error codes after acceptance that mean the number will never receive SMS. */
    private static final Set<String> DEAD_NUMBER_CODES = Set.of("30005", "30006", "21211", "21614");

    private final Suppressions suppressions;
    private final AddressConsents consents;
    private final Clock clock;

    TwilioEventMapping(Suppressions suppressions, AddressConsents consents, Clock clock) {
        this.suppressions = suppressions;
        this.consents = consents;
        this.clock = clock;
    }

    /** Twilio names the message by its MessageSid. */
    static String providerMessageRef(JsonNode payload) {
        return text(payload, "MessageSid");
    }

    /** Applies a status callback; answers its outcome (APPLIED, UNKNOWN_MESSAGE when no delivery is known). */
    String applyStatus(StoredEvent event, DeliveryRow delivery, AppliedBatch batch) {
        Instant now = batch.now;
        JsonNode e = event.payload();
        String status = text(e, "MessageStatus");
        String errorCode = text(e, "ErrorCode");
        String to = text(e, "To");
        if ("21610".equals(errorCode)) {
            consents.optOut(Channel.SMS, to, SuppressionReason.STOPPED, "twilio:21610", now);
        } else if (errorCode != null && DEAD_NUMBER_CODES.contains(errorCode)) {
            suppressions.suppress(Channel.SMS, to, SuppressionReason.INVALID_NUMBER, "twilio:" + errorCode);
        }
        if (delivery == null) {
            return "UNKNOWN_MESSAGE";
        }
        String message = null;
        switch (status == null ? "" : status) {
            case "queued", "accepted", "scheduled", "sending", "sent" -> advance(delivery, DeliveryStatus.PROCESSED);
            case "delivered", "read" -> {
                if (advance(delivery, DeliveryStatus.DELIVERED)) {
                    message = EngagementMessages.SMS_DELIVERED;
                }
            }
            case "undelivered", "failed", "canceled" -> {
                if (advance(delivery, DeliveryStatus.UNDELIVERED)) {
                    message = EngagementMessages.SMS_FAILED;
                }
            }
            default -> {}
        }
        batch.record(delivery, "sms_" + status, errorCode == null ? null : "error " + errorCode, now, message);
        return "APPLIED";
    }

    /** Applies an inbound message: a keyword opts the sender out or in; answers OPTED_OUT, OPTED_IN, HELP or REPLY. */
    String applyInbound(StoredEvent event) {
        JsonNode e = event.payload();
        String from = text(e, "From");
        String optOutType = text(e, "OptOutType");
        String word = text(e, "Body") == null ? "" : text(e, "Body").trim().toUpperCase(Locale.ROOT);
        Instant now = clock.instant();
        if ("STOP".equalsIgnoreCase(optOutType) || (optOutType == null && STOP_WORDS.contains(word))) {
            consents.optOut(Channel.SMS, from, SuppressionReason.STOPPED, "twilio:STOP", now);
            return "OPTED_OUT";
        }
        if ("START".equalsIgnoreCase(optOutType) || (optOutType == null && START_WORDS.contains(word))) {
            // START is the number owner's latest word: it lifts their own opt-outs (a STOP, or the SMS unsubscribe
            // link)
            consents.optIn(
                    Channel.SMS,
                    from,
                    Set.of(SuppressionReason.STOPPED, SuppressionReason.UNSUBSCRIBED),
                    "twilio:START",
                    now);
            return "OPTED_IN";
        }
        if ("HELP".equalsIgnoreCase(optOutType) || (optOutType == null && HELP_WORDS.contains(word))) {
            return "HELP";
        }
        return "REPLY";
    }
}
