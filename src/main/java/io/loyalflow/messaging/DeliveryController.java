package io.loyalflow.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.customer.Channel;
import io.loyalflow.customer.ContactRules;
import io.loyalflow.customer.CustomerProperties;
import io.loyalflow.platform.web.ApiProblemException;
import io.loyalflow.platform.web.Violations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Messaging", description = "Deliveries with gate decisions, status history and engagement; test sends")
class DeliveryController {

  private static final int MAX_LIMIT = 500;
  private static final Set<String> OUTCOMES =
      Set.of("APPLIED", "UNKNOWN_MESSAGE", "OPTED_OUT", "OPTED_IN", "HELP", "REPLY", "IGNORED", "ERROR");

  private final DeliveryQueries queries;
  private final DeliveryRepository deliveries;
  private final Outbox outbox;
  private final ContactRules contactRules;
  private final CustomerProperties customerProperties;
  private final Clock clock;

  DeliveryController(DeliveryQueries queries, DeliveryRepository deliveries, Outbox outbox, ContactRules contactRules,
      CustomerProperties customerProperties, Clock clock) {
    this.queries = queries;
    this.deliveries = deliveries;
    this.outbox = outbox;
    this.contactRules = contactRules;
    this.customerProperties = customerProperties;
    this.clock = clock;
  }

  @Operation(summary = "A customer's messages, newest first: gate decision, status history, engagement")
  @GetMapping("/api/customers/{customerId}/deliveries")
  DeliveryView.Page ofCustomer(@PathVariable String customerId, @RequestParam(required = false) Long before,
      @RequestParam(defaultValue = "50") int limit) {
    return queries.ofCustomer(customerId, before, limit(limit));
  }

  @Operation(summary = "Deliveries by campaign, status and channel, newest first")
  @GetMapping("/api/deliveries")
  DeliveryView.Page search(@RequestParam(required = false) String campaign,
      @RequestParam(required = false) String status, @RequestParam(required = false) String channel,
      @RequestParam(required = false) Long before, @RequestParam(defaultValue = "50") int limit) {
    String normalisedStatus = status == null ? null : status.toUpperCase(Locale.ROOT);
    if (normalisedStatus != null) {
      try {
        DeliveryStatus.valueOf(normalisedStatus);
      } catch (IllegalArgumentException e) {
        throw ApiProblemException.invalid("status", "must be one of " + java.util.Arrays.toString(DeliveryStatus.values()));
      }
    }
    return queries.search(campaign, normalisedStatus, channel == null ? null : channel(channel, "channel").key(),
        before, limit(limit));
  }

  @GetMapping("/api/deliveries/{deliveryId}")
  DeliveryView one(@PathVariable String deliveryId) {
    return queries.find(deliveryId).orElseThrow(() -> ApiProblemException.notFound("No delivery " + deliveryId + "."));
  }

  @Operation(summary = "Webhook events as received; outcome=UNKNOWN_MESSAGE lists events for messages Loyalflow does not know")
  @GetMapping("/api/provider-events")
  java.util.List<DeliveryQueries.ProviderEventView> providerEvents(@RequestParam(required = false) String outcome,
      @RequestParam(required = false) Long before, @RequestParam(defaultValue = "50") int limit) {
    if (outcome != null && !OUTCOMES.contains(outcome)) {
      throw ApiProblemException.invalid("outcome", "must be one of " + OUTCOMES);
    }
    return queries.providerEvents(outcome, before, limit(limit));
  }

  /**
   * @param channel {@code email} or {@code sms}
   * @param to the analyst's address or phone
   * @param templateId e-mail: the SendGrid dynamic template id
   * @param templateData e-mail: dynamic template data, {@code {{tokens}}} allowed in strings
   * @param smsText SMS: the text with {@code {{tokens}}}
   * @param sampleCustomerId optional: profile tokens are filled from this customer
   */
  record TestSendRequest(String channel, String to, String templateId, JsonNode templateData, String smsText,
      String category, String sampleCustomerId) {
  }

  @Operation(summary = "Sends one message to an analyst's address or phone, marked as a test: suppression applies, "
      + "consent, caps and quiet hours do not")
  @PostMapping("/api/messaging/test-sends")
  ResponseEntity<Outbox.TestSendResult> testSend(@RequestBody TestSendRequest request) {
    Violations violations = new Violations();
    if (request.channel() == null) {
      violations.add("channel", "is required: email or sms");
      violations.throwIfAny();
    }
    Channel channel = channel(request.channel(), "channel");
    String to = null;
    if (request.to() == null || request.to().isBlank()) {
      violations.add("to", "is required");
    } else {
      Violations contact = new Violations();
      to = channel == Channel.EMAIL ? contactRules.email(request.to(), contact)
          : contactRules.phone(request.to(), null, contact);
      contact.list().forEach(violation -> violations.add("to", violation.message()));
    }
    Object templateData = null;
    if (channel == Channel.EMAIL) {
      if (request.templateId() == null || !request.templateId().matches("d-[0-9a-f]{32}")) {
        violations.add("templateId", "must be a SendGrid dynamic template id: d- and 32 hex digits");
      }
      if (request.templateData() != null && !request.templateData().isNull()) {
        if (!request.templateData().isObject()) {
          violations.add("templateData", "must be a JSON object");
        } else {
          templateData = request.templateData().toString();
          MessageTokens.problemsOfValue(outbox.templateDataOf(templateData))
              .forEach(problem -> violations.add("templateData", problem));
          noVariablesWithoutFallback(templateData.toString(), "templateData", violations);
        }
      }
      if (request.smsText() != null) {
        violations.add("smsText", "is for SMS test sends only");
      }
    } else {
      if (request.smsText() == null || request.smsText().isBlank()) {
        violations.add("smsText", "is required for an SMS");
      } else {
        MessageTokens.problems(request.smsText()).forEach(problem -> violations.add("smsText", problem));
        noVariablesWithoutFallback(request.smsText(), "smsText", violations);
      }
      if (request.templateId() != null) {
        violations.add("templateId", "is for e-mail test sends only");
      }
    }
    DeliveryRepository.Recipient sample = null;
    if (request.sampleCustomerId() != null) {
      sample = deliveries.recipient(request.sampleCustomerId(), channel, clock.instant(),
          customerProperties.defaultTimeZone()).orElse(null);
      if (sample == null) {
        violations.add("sampleCustomerId", "no such customer");
      }
    }
    violations.throwIfAny();
    Outbox.TestSendResult result = outbox.sendTest(new Outbox.TestSend(channel, to, request.templateId(), templateData,
        request.smsText(), request.category(), request.sampleCustomerId()), sample);
    return ResponseEntity.created(URI.create("/api/deliveries/" + result.deliveryId())).body(result);
  }

  /** A test send has no journey, hence no process variables: each {{var.x}} needs a fallback. */
  private static void noVariablesWithoutFallback(String text, String field, Violations violations) {
    java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\{\\{\\s*(var\\.[^{}|]*?)\\s*}}")
        .matcher(text);
    while (matcher.find()) {
      violations.add(field, "{{" + matcher.group(1) + "}} has no value in a test send (there is no journey): "
          + "give it a fallback, {{" + matcher.group(1) + "|sample}}");
    }
  }

  private static Channel channel(String value, String field) {
    try {
      return Channel.fromKey(value.trim());
    } catch (IllegalArgumentException e) {
      throw ApiProblemException.invalid(field, "must be email or sms");
    }
  }

  private static int limit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiProblemException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    return limit;
  }
}
