package io.loyalflow.messaging.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.web.ApiProblemException;
import io.loyalflow.platform.web.ProblemTypes;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's status callbacks and inbound messages. Public, but each request must carry a valid
 * {@code X-Twilio-Signature} computed over the URL Twilio called (the configured public base URL, so
 * it works behind proxies) and the form parameters, whatever parameters Twilio adds.
 */
@RestController
class TwilioWebhookController {

    static final String SIGNATURE = "X-Twilio-Signature";
    private static final Logger log = LoggerFactory.getLogger(TwilioWebhookController.class);
    /** An empty TwiML answer: Loyalflow replies nothing itself (Twilio's Advanced Opt-Out answers STOP and HELP). */
    private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    private final TwilioSignature signature;
    private final String publicBase;
    private final ProviderEventStore store;
    private final ProviderEventApplier applier;
    private final ObjectMapper objectMapper;
    private final MeterRegistry meters;

    TwilioWebhookController(
            MessagingProperties properties,
            ProviderEventStore store,
            ProviderEventApplier applier,
            ObjectMapper objectMapper,
            MeterRegistry meters) {
        String token = properties.twilio().authToken();
        this.signature = token == null || token.isBlank() ? null : new TwilioSignature(token);
        if (signature == null) {
            log.warn("No loyalflow.messaging.twilio.auth-token: /webhooks/twilio/* refuses every request");
        }
        String base = properties.publicBaseUrl().toString();
        this.publicBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.store = store;
        this.applier = applier;
        this.objectMapper = objectMapper;
        this.meters = meters;
    }

    @PostMapping(path = "/webhooks/twilio/status", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Void> status(
            HttpServletRequest request, @RequestHeader(value = SIGNATURE, required = false) String signatureHeader) {
        Map<String, String> form = verifiedForm(request, signatureHeader);
        String sid = require(form, "MessageSid");
        String status = require(form, "MessageStatus");
        Map<String, String> payload = new TreeMap<>(form);
        String delivery = ProviderPayloads.text(request.getParameter("delivery"));
        if (delivery != null && !form.containsKey("delivery")) {
            payload.put("loyalflow_delivery_id", delivery);
        }
        save(
                ProviderEventStore.TWILIO_STATUS,
                sid + ":" + status + ":" + form.getOrDefault("ErrorCode", ""),
                status,
                payload);
        return ResponseEntity.noContent().build();
    }

    @PostMapping(
            path = "/webhooks/twilio/inbound",
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.TEXT_XML_VALUE)
    ResponseEntity<String> inbound(
            HttpServletRequest request, @RequestHeader(value = SIGNATURE, required = false) String signatureHeader) {
        Map<String, String> form = verifiedForm(request, signatureHeader);
        String sid = form.containsKey("MessageSid") ? form.get("MessageSid") : require(form, "SmsSid");
        require(form, "From");
        save(ProviderEventStore.TWILIO_INBOUND, sid, "inbound", new TreeMap<>(form));
        return ResponseEntity.ok().contentType(MediaType.TEXT_XML).body(EMPTY_TWIML);
    }

    private void save(String source, String eventId, String type, Map<String, String> payload) {
        String json;
        try {
            json = objectMapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int stored = store.store(source, List.of(new ProviderEventStore.IncomingEvent(eventId, type, json)));
        meters.counter(
                        "loyalflow.webhooks.events",
                        "source",
                        source.toLowerCase(Locale.ROOT),
                        "result",
                        stored == 1 ? "stored" : "duplicate")
                .increment();
        applier.kick();
    }

    /** The form parameters (not the query's: Twilio signs those as part of the URL), once the signature holds. */
    private Map<String, String> verifiedForm(HttpServletRequest request, String signatureHeader) {
        if (signature == null) {
            throw refused("this service has no Twilio auth token configured");
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw refused("the request carries no " + SIGNATURE);
        }
        String query = request.getQueryString();
        Set<String> queryNames = new HashSet<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                queryNames.add(URLDecoder.decode(name, StandardCharsets.UTF_8));
            }
        }
        Map<String, String> form = new TreeMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!queryNames.contains(name) && values.length > 0) {
                form.put(name, values[0]);
            }
        });
        String url = publicBase + request.getRequestURI() + (query == null ? "" : "?" + query);
        if (!signature.verify(url, form, signatureHeader.trim())) {
            throw refused("the signature does not match " + url + " and the posted parameters");
        }
        // signed as sent; stored as the database can hold it
        Map<String, String> storable = new TreeMap<>();
        form.forEach((name, value) -> storable.put(ProviderPayloads.text(name), ProviderPayloads.text(value)));
        return storable;
    }

    private static String require(Map<String, String> form, String name) {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            throw Refusal.invalid(name, "is required");
        }
        return value;
    }

    private static ApiProblemException refused(String detail) {
        return new ApiProblemException(HttpStatus.FORBIDDEN, ProblemTypes.SIGNATURE_REFUSED, detail, List.of());
    }
}
