package io.loyalflow.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.customer.Channel;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.security.Caller;
import io.loyalflow.platform.web.Texts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
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
    private static final int CUSTOMER_ID_LENGTH = 100;
    private static final Set<String> OUTCOMES =
            Set.of("APPLIED", "UNKNOWN_MESSAGE", "OPTED_OUT", "OPTED_IN", "HELP", "REPLY", "IGNORED", "ERROR");

    private final DeliveryQueries queries;
    private final TestSends testSends;

    DeliveryController(DeliveryQueries queries, TestSends testSends) {
        this.queries = queries;
        this.testSends = testSends;
    }

    @Operation(summary = "A customer's messages, newest first: gate decision, status history, engagement")
    @GetMapping("/api/customers/{customerId}/deliveries")
    DeliveryView.Page ofCustomer(
            @PathVariable String customerId,
            @RequestParam(required = false) Long before,
            @RequestParam(defaultValue = "50") int limit) {
        return queries.ofCustomer(customerId, before, limit(limit));
    }

    @Operation(summary = "Deliveries by campaign, status and channel, newest first")
    @GetMapping("/api/deliveries")
    DeliveryView.Page search(
            @RequestParam(required = false) String campaign,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String channel,
            @RequestParam(required = false) Long before,
            @RequestParam(defaultValue = "50") int limit) {
        String normalisedStatus = status == null ? null : status.toUpperCase(Locale.ROOT);
        if (normalisedStatus != null) {
            try {
                DeliveryStatus.valueOf(normalisedStatus);
            } catch (IllegalArgumentException e) {
                throw Refusal.invalid("status", "must be one of " + Arrays.toString(DeliveryStatus.values()));
            }
        }
        return queries.search(
                campaign,
                normalisedStatus,
                channel == null ? null : channel(channel, "channel").key(),
                before,
                limit(limit));
    }

    @GetMapping("/api/deliveries/{deliveryId}")
    DeliveryView one(@PathVariable String deliveryId) {
        return queries.find(deliveryId).orElseThrow(() -> Refusal.notFound("No delivery " + deliveryId + "."));
    }

    @Operation(
            summary =
                    "Webhook events as received; outcome=UNKNOWN_MESSAGE lists events for messages Loyalflow does not know")
    @GetMapping("/api/provider-events")
    List<DeliveryQueries.ProviderEventView> providerEvents(
            @RequestParam(required = false) String outcome,
            @RequestParam(required = false) Long before,
            @RequestParam(defaultValue = "50") int limit) {
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw Refusal.invalid("outcome", "must be one of " + OUTCOMES);
        }
        return queries.providerEvents(outcome, before, limit(limit));
    }

    /**
     * @param channel {@code email} or {@code sms}
     * @param to the tester's address or phone; an analyst's own verified one
     * @param templateId e-mail: the SendGrid dynamic template id
     * @param templateData e-mail: dynamic template data, {@code {{tokens}}} allowed in strings
     * @param smsText SMS: the text with {@code {{tokens}}}
     * @param sampleCustomerId optional: profile tokens are filled from this customer
     * @param category optional: the campaign name the delivery is listed under
     *     <p>Every field has a length limit ({@link MessageLimits}; the sample customer's id 100 characters).
     */
    record TestSendRequest(
            String channel,
            String to,
            String templateId,
            JsonNode templateData,
            String smsText,
            String category,
            String sampleCustomerId) {}

    @Operation(
            summary =
                    "Sends one message to a tester's address or phone, marked as a test: suppression applies, "
                            + "consent, caps and quiet hours do not. Analysts send only to their own verified address or phone (403 "
                            + "otherwise) and see a sample customer's personal tokens as placeholders; the unsubscribe link is a test link")
    @PostMapping("/api/messaging/test-sends")
    ResponseEntity<Outbox.TestSendResult> testSend(@RequestBody TestSendRequest request) {
        Violations violations = new Violations();
        violations.withinLength("category", request.category(), MessageLimits.CATEGORY);
        if (request.channel() == null) {
            violations.add("channel", "is required: email or sms");
            violations.throwIfAny();
        }
        Channel channel = channel(request.channel(), "channel");
        String to = testSends.address(channel, request.to(), "to", violations);
        testSends.checkMessage(
                channel, request.templateId(), request.templateData(), request.smsText(), "", violations);
        if (request.category() != null && request.category().isBlank()) {
            violations.add("category", "must not be blank (or left out)");
        } else {
            Texts.requireSingleLine(request.category(), "category", violations);
        }
        Object templateData = channel == Channel.EMAIL
                        && request.templateData() != null
                        && request.templateData().isObject()
                ? request.templateData().toString()
                : null;
        DeliveryRepository.Recipient sample = null;
        if (request.sampleCustomerId() != null
                && violations.withinLength("sampleCustomerId", request.sampleCustomerId(), CUSTOMER_ID_LENGTH)) {
            sample = testSends.sample(request.sampleCustomerId(), channel).orElse(null);
            if (sample == null) {
                violations.add("sampleCustomerId", "no such customer");
            }
        }
        violations.throwIfAny();
        Caller caller = Caller.current();
        testSends.requireOwnAddresses(caller, List.of(new TestSends.Destination("to", channel, to)));
        Outbox.TestSendResult result = testSends.send(
                new Outbox.TestSend(
                        channel,
                        to,
                        request.templateId(),
                        templateData,
                        request.smsText(),
                        request.category(),
                        request.sampleCustomerId(),
                        null,
                        null),
                sample,
                caller);
        return ResponseEntity.created(URI.create("/api/deliveries/" + result.deliveryId()))
                .body(result);
    }

    private static Channel channel(String value, String field) {
        try {
            return Channel.fromKey(value.trim());
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid(field, "must be email or sms");
        }
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Refusal.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }
}
