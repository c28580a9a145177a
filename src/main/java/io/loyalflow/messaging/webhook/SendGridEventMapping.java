package io.loyalflow.messaging.webhook;

import static io.loyalflow.messaging.webhook.DeliveryRow.advance;
import static io.loyalflow.messaging.webhook.StoredEvent.firstText;
import static io.loyalflow.messaging.webhook.StoredEvent.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.customer.Channel;
import io.loyalflow.messaging.DeliveryStatus;
import io.loyalflow.messaging.EngagementMessages;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.messaging.SuppressionReason;
import io.loyalflow.messaging.Suppressions;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What a SendGrid event webhook event means: for the address (bounces and spam reports suppress it,
 * unsubscribes opt it out) and for its delivery (status, opens, clicks, and the journey message they wake).
 */
@Component
class SendGridEventMapping {

    private final Suppressions suppressions;
    private final AddressConsents consents;
    private final MessagingProperties properties;

    SendGridEventMapping(Suppressions suppressions, AddressConsents consents, MessagingProperties properties) {
        this.suppressions = suppressions;
        this.consents = consents;
        this.properties = properties;
    }

    /** SendGrid's sg_message_id starts with the X-Message-Id it answered the send with. */
    static String providerMessageRef(JsonNode payload) {
        String id = text(payload, "sg_message_id");
        return id == null ? null : id.contains(".") ? id.substring(0, id.indexOf('.')) : id;
    }

    /** Applies one event; answers its outcome (APPLIED, UNKNOWN_MESSAGE when no delivery is known). */
    String apply(StoredEvent event, DeliveryRow delivery, AppliedBatch batch) {
        Instant now = batch.now;
        JsonNode e = event.payload();
        String type = text(e, "event");
        String email = text(e, "email");
        Instant occurred = e.hasNonNull("timestamp")
                ? Instant.ofEpochSecond(e.get("timestamp").asLong())
                : now;
        String detail = firstText(e, "reason", "response", "url", "type");
        String source = "sendgrid:" + type;
        // Address-level effects hold whether or not Loyalflow knows the message.
        switch (type == null ? "" : type) {
            case "bounce" -> {
                if (!"blocked".equals(text(e, "type"))) {
                    suppressions.suppress(Channel.EMAIL, email, SuppressionReason.HARD_BOUNCE, source);
                }
            }
            case "dropped" -> {
                SuppressionReason reason = droppedReason(text(e, "reason"));
                if (reason != null) {
                    suppressions.suppress(Channel.EMAIL, email, reason, source);
                }
            }
            case "spamreport" -> consents.optOut(Channel.EMAIL, email, SuppressionReason.SPAM_REPORT, source, occurred);
            case "unsubscribe", "group_unsubscribe" ->
                consents.optOut(Channel.EMAIL, email, SuppressionReason.UNSUBSCRIBED, source, occurred);
            case "group_resubscribe" ->
                consents.optIn(Channel.EMAIL, email, Set.of(SuppressionReason.UNSUBSCRIBED), source, occurred);
            default -> {}
        }
        if (delivery == null) {
            return "UNKNOWN_MESSAGE";
        }
        String message = null;
        String kind = type == null ? "unknown" : type;
        switch (kind) {
            case "processed" -> advance(delivery, DeliveryStatus.PROCESSED);
            case "deferred" -> advance(delivery, DeliveryStatus.DELAYED);
            case "delivered" -> advance(delivery, DeliveryStatus.DELIVERED);
            case "dropped" -> advance(delivery, DeliveryStatus.DROPPED);
            case "bounce" -> {
                advance(delivery, DeliveryStatus.BOUNCED);
                message = EngagementMessages.EMAIL_BOUNCED;
            }
            case "open" -> {
                boolean machine = e.path("sg_machine_open").asBoolean(false);
                if (machine && !properties.webhooks().countMachineOpens()) {
                    kind = "machine_open";
                    delivery.machineOpens++;
                } else {
                    delivery.opens++;
                    if (!delivery.opened) {
                        delivery.opened = true;
                        delivery.firstOpened = occurred;
                        message = EngagementMessages.EMAIL_OPENED;
                    }
                }
                delivery.changed = true;
            }
            case "click" -> {
                delivery.clicks++;
                if (!delivery.clicked) {
                    delivery.clicked = true;
                    delivery.firstClicked = occurred;
                    message = EngagementMessages.EMAIL_CLICKED;
                }
                delivery.changed = true;
            }
            default -> {}
        }
        batch.record(delivery, kind, detail, occurred, message);
        return "APPLIED";
    }

    private static SuppressionReason droppedReason(String reason) {
        if (reason == null) {
            return null;
        }
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.contains("bounced address") || lower.contains("invalid")) {
            return SuppressionReason.HARD_BOUNCE;
        }
        if (lower.contains("spam reporting")) {
            return SuppressionReason.SPAM_REPORT;
        }
        if (lower.contains("unsubscribed")) {
            return SuppressionReason.UNSUBSCRIBED;
        }
        return null;
    }
}
