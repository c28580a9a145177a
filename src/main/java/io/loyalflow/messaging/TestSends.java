package io.loyalflow.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.customer.Channel;
import io.loyalflow.customer.ContactRules;
import io.loyalflow.customer.CustomerProperties;
import io.loyalflow.messaging.DeliveryRepository.Recipient;
import io.loyalflow.platform.web.Violations;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Test sends as the API offers them (one message, {@code POST /api/messaging/test-sends}, or every
 * message of a campaign): the checks of the address and of the message, the sample customer whose
 * profile fills the tokens, and the send itself through {@link Outbox#sendTest}, recorded as a test.
 */
@Service
public class TestSends {

  /**
   * The longest SMS text, in test sends as in campaign messages: Twilio refuses longer bodies, and
   * the token parser should never see more.
   */
  public static final int MAX_SMS_TEXT = 1600;

  private static final Pattern SENDGRID_TEMPLATE_ID = Pattern.compile("d-[0-9a-f]{32}");
  private static final Pattern VARIABLE_TOKEN_WITHOUT_FALLBACK = Pattern.compile("\\{\\{\\s*(var\\.[^{}|]*?)\\s*}}");

  private final Outbox outbox;
  private final DeliveryRepository deliveries;
  private final ContactRules contactRules;
  private final CustomerProperties customerProperties;
  private final MessagingProperties properties;
  private final Clock clock;

  TestSends(Outbox outbox, DeliveryRepository deliveries, ContactRules contactRules,
      CustomerProperties customerProperties, MessagingProperties properties, Clock clock) {
    this.outbox = outbox;
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
    Violations contact = new Violations();
    String address = channel == Channel.EMAIL ? contactRules.email(raw, contact)
        : contactRules.phone(raw, null, contact);
    contact.list().forEach(violation -> violations.add(field, violation.message()));
    return Addresses.normalise(channel, address);
  }

  /**
   * Checks a message as a test send of the channel needs it; faults go under {@code prefix} plus
   * {@code templateId}, {@code templateData} or {@code smsText}. A test send has no journey, hence
   * no process variables: each {@code {{var.x}}} needs a fallback.
   */
  public void checkMessage(Channel channel, String templateId, JsonNode templateData, String smsText, String prefix,
      Violations violations) {
    if (channel == Channel.EMAIL) {
      if (templateId == null || !SENDGRID_TEMPLATE_ID.matcher(templateId).matches()) {
        violations.add(prefix + "templateId", "must be a SendGrid dynamic template id: d- and 32 hex digits");
      }
      if (templateData != null && !templateData.isNull()) {
        if (!templateData.isObject()) {
          violations.add(prefix + "templateData", "must be a JSON object");
        } else {
          String text = templateData.toString();
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
      } else if (smsText.length() > MAX_SMS_TEXT) {
        violations.add(prefix + "smsText", "must be at most " + MAX_SMS_TEXT + " characters, as in a campaign's messages");
      } else {
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

  /**
   * Sends a message checked by {@link #checkMessage} to an address checked by {@link #address},
   * recorded as a test delivery.
   */
  public Outbox.TestSendResult send(Outbox.TestSend test, Recipient sample) {
    return outbox.sendTest(test, sample);
  }

  private static void noVariablesWithoutFallback(String text, String field, Violations violations) {
    Matcher matcher = VARIABLE_TOKEN_WITHOUT_FALLBACK.matcher(text);
    while (matcher.find()) {
      violations.add(field, "{{" + matcher.group(1) + "}} has no value in a test send (there is no journey): "
          + "give it a fallback, {{" + matcher.group(1) + "|sample}}");
    }
  }
}
