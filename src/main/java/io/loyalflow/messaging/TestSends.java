package io.loyalflow.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.customer.Channel;
import io.loyalflow.customer.ContactRules;
import io.loyalflow.customer.CustomerProperties;
import io.loyalflow.messaging.DeliveryRepository.Recipient;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.security.Caller;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Test sends as the API offers them (one message, {@code POST /api/messaging/test-sends}, or every
 * message of a campaign): the checks of the address and of the message, the sample customer whose
 * profile fills the tokens, and the send itself through {@link Outbox#sendTest}, recorded as a test.
 *
 * <p>Testers who may not read customers' personal data (analysts) send only to their own verified
 * address or phone ({@link TestRecipients}), and a sample customer's name, addresses, id and share link
 * reach them as placeholders. Every test send's unsubscribe link is a test link that opts nobody out.
 */
@Service
public class TestSends {

    private static final Pattern SENDGRID_TEMPLATE_ID = Pattern.compile("d-[0-9a-f]{32}");

    private final Outbox outbox;
    private final TestRecipients recipients;
    private final DeliveryRepository deliveries;
    private final ContactRules contactRules;
    private final CustomerProperties customerProperties;
    private final MessagingProperties properties;
    private final Clock clock;

    TestSends(
            Outbox outbox,
            TestRecipients recipients,
            DeliveryRepository deliveries,
            ContactRules contactRules,
            CustomerProperties customerProperties,
            MessagingProperties properties,
            Clock clock) {
        this.outbox = outbox;
        this.recipients = recipients;
        this.deliveries = deliveries;
        this.contactRules = contactRules;
        this.customerProperties = customerProperties;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The address in the form sends use and suppressions compare (an e-mail address lower-cased, a
     * phone number in E.164, national numbers read in the default region), or null with the fault
     * under {@code field}.
     */
    public String address(Channel channel, String raw, String field, Violations violations) {
        if (raw == null || raw.isBlank()) {
            violations.add(field, "is required");
            return null;
        }
        if (!violations.withinLength(field, raw, MessageLimits.ADDRESS)) {
            return null;
        }
        Violations contact = new Violations();
        String address =
                channel == Channel.EMAIL ? contactRules.email(raw, contact) : contactRules.phone(raw, null, contact);
        contact.list().forEach(violation -> violations.add(field, violation.message()));
        return Addresses.normalise(channel, address);
    }

    /**
     * Checks a message as a test send of the channel needs it; faults go under {@code prefix} plus
     * {@code templateId}, {@code templateData} or {@code smsText}. A test send has no journey, hence
     * no process variables: each {@code {{var.x}}} needs a fallback.
     */
    public void checkMessage(
            Channel channel,
            String templateId,
            JsonNode templateData,
            String smsText,
            String prefix,
            Violations violations) {
        if (channel == Channel.EMAIL) {
            if (templateId == null || !SENDGRID_TEMPLATE_ID.matcher(templateId).matches()) {
                violations.add(prefix + "templateId", "must be a SendGrid dynamic template id: d- and 32 hex digits");
            }
            if (templateData != null && !templateData.isNull()) {
                String text = templateData.toString();
                if (!templateData.isObject()) {
                    violations.add(prefix + "templateData", "must be a JSON object");
                } else if (text.length() > MessageLimits.TEMPLATE_DATA) {
                    violations.add(
                            prefix + "templateData",
                            "must be at most " + MessageLimits.TEMPLATE_DATA + " characters as JSON");
                } else {
                    MessageTokens.problemsOfValue(outbox.templateDataOf(text))
                            .forEach(problem -> violations.add(prefix + "templateData", problem));
                    noVariablesWithoutFallback(text, prefix + "templateData", violations);
                }
            }
            if (smsText != null) {
                violations.add(prefix + "smsText", "is for SMS test sends only");
            }
        } else {
            if (smsText == null || smsText.isBlank()) {
                violations.add(prefix + "smsText", "is required for an SMS");
            } else if (violations.withinLength(prefix + "smsText", smsText, MessageLimits.SMS_TEXT)) {
                MessageTokens.problems(smsText).forEach(problem -> violations.add(prefix + "smsText", problem));
                noVariablesWithoutFallback(smsText, prefix + "smsText", violations);
            }
            if (templateId != null) {
                violations.add(prefix + "templateId", "is for e-mail test sends only");
            }
        }
    }

    /** The customer whose profile fills the tokens of a test message on the channel, if there is one. */
    public Optional<Recipient> sample(String customerId, Channel channel) {
        return deliveries.recipient(customerId, channel, clock.instant(), customerProperties.defaultTimeZone());
    }

    /** The sender a test e-mail goes from when the message names none: the configured one. */
    public String defaultFromEmail() {
        return properties.sendgrid().fromEmail();
    }

    public String defaultFromName() {
        return properties.sendgrid().fromName();
    }

    /** An address of a test send, checked by {@link #address}, and the request field it came in. */
    public record Destination(String field, Channel channel, String address) {}

    /**
     * Refuses (403, naming each field) test sends of a caller who may not read personal data to any
     * address but their own verified one: otherwise a test message with a sample customer's tokens
     * would carry that customer's data anywhere.
     */
    public void requireOwnAddresses(Caller caller, List<Destination> destinations) {
        if (caller.mayReadPersonalData()) {
            return;
        }
        List<FieldViolation> refusals = new ArrayList<>();
        for (Destination destination : destinations) {
            if (destination.address() != null) {
                recipients
                        .refusal(caller.userId(), destination.channel(), destination.address())
                        .ifPresent(refusal -> refusals.add(new FieldViolation(destination.field(), refusal)));
            }
        }
        if (!refusals.isEmpty()) {
            throw Refusal.forbidden(
                    "Analysts' test sends go only to their own verified e-mail address and " + "phone.", refusals);
        }
    }

    /**
     * Sends a message checked by {@link #checkMessage} to an address checked by {@link #address} (and,
     * for callers who may not read personal data, {@link #requireOwnAddresses}), recorded as a test
     * delivery.
     */
    public Outbox.TestSendResult send(Outbox.TestSend test, Recipient sample, Caller caller) {
        return outbox.sendTest(test, sample, caller.mayReadPersonalData());
    }

    private static void noVariablesWithoutFallback(String text, String field, Violations violations) {
        for (MessageTokens.Token token : MessageTokens.tokens(text)) {
            if (token.fallback() == null && token.name().startsWith(MessageTokens.VARIABLE_PREFIX)) {
                violations.add(
                        field,
                        "{{" + token.name() + "}} has no value in a test send (there is no journey): "
                                + "give it a fallback, {{" + token.name() + "|sample}}");
            }
        }
    }
}
