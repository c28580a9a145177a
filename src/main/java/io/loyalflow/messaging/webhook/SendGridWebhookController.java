package io.loyalflow.messaging.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.web.ApiProblemException;
import io.loyalflow.platform.web.ProblemTypes;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * SendGrid's Signed Event Webhook. Public (SendGrid has no credentials to send), but every request
 * must carry a valid ECDSA signature over timestamp + raw body, signed recently. Verified events are
 * stored, deduplicated on {@code sg_event_id}, before the 200; they are applied afterwards.
 *
 * <p>Anyone may post here, so the headers are checked before the body is read (a request without a
 * fresh signature costs nothing), and the body is fed to the signature check as it arrives, within the
 * webhook body limit ({@code loyalflow.web.max-webhook-request-size}, enforced by RequestBodyLimitFilter),
 * and spooled to a temporary file rather than held in the heap.
 */
@RestController
class SendGridWebhookController {

    static final String SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature";
    static final String TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp";
    private static final Logger log = LoggerFactory.getLogger(SendGridWebhookController.class);

    private final SendGridSignature signature;
    private final ProviderEventStore store;
    private final ProviderEventApplier applier;
    private final Duration tolerance;
    private final MeterRegistry meters;
    private final Clock clock;

    SendGridWebhookController(
            MessagingProperties properties,
            ProviderEventStore store,
            ProviderEventApplier applier,
            MeterRegistry meters,
            Clock clock) {
        String key = properties.sendgrid().webhookPublicKey();
        this.signature = key == null || key.isBlank() ? null : new SendGridSignature(key);
        if (signature == null) {
            log.warn("No loyalflow.messaging.sendgrid.webhook-public-key: /webhooks/sendgrid refuses every request");
        }
        this.store = store;
        this.applier = applier;
        this.tolerance = properties.webhooks().signatureTolerance();
        this.meters = meters;
        this.clock = clock;
    }

    record Accepted(int received, int stored, int duplicates) {}

    @PostMapping(path = "/webhooks/sendgrid", consumes = "*/*")
    Accepted events(
            @RequestHeader(value = SIGNATURE, required = false) String signatureHeader,
            @RequestHeader(value = TIMESTAMP, required = false) String timestampHeader,
            HttpServletRequest request)
            throws IOException {
        SendGridSignature.Verification verification = verification(signatureHeader, timestampHeader);
        List<ProviderEventStore.IncomingEvent> events;
        try (SpooledBody body = read(request, verification)) {
            if (!verification.verify()) {
                throw refused("the signature does not match the body and timestamp");
            }
            events = parse(body);
        }
        int stored = store.store(ProviderEventStore.SENDGRID, events);
        meters.counter("loyalflow.webhooks.events", "source", "sendgrid", "result", "stored")
                .increment(stored);
        meters.counter("loyalflow.webhooks.events", "source", "sendgrid", "result", "duplicate")
                .increment(events.size() - stored);
        applier.kick();
        return new Accepted(events.size(), stored, events.size() - stored);
    }

    /** Everything that can be checked before the body is read; the check itself, ready for the body. */
    private SendGridSignature.Verification verification(String signatureHeader, String timestampHeader) {
        if (signature == null) {
            throw refused("this service has no SendGrid webhook verification key configured");
        }
        if (signatureHeader == null
                || signatureHeader.isBlank()
                || timestampHeader == null
                || timestampHeader.isBlank()) {
            throw refused("the request carries no signature (" + SIGNATURE + ", " + TIMESTAMP + ")");
        }
        Instant signedAt;
        try {
            signedAt = Instant.ofEpochSecond(Long.parseLong(timestampHeader.trim()));
        } catch (NumberFormatException | DateTimeException e) {
            throw refused(TIMESTAMP + " is not a Unix time in seconds");
        }
        Duration age = Duration.between(signedAt, clock.instant());
        if (age.abs().compareTo(tolerance) > 0) {
            throw refused("the signature's timestamp is " + age.abs().toSeconds() + " s away from now (tolerance "
                    + tolerance.toSeconds() + " s): refused as a possible replay");
        }
        SendGridSignature.Verification verification = signature.start(signatureHeader.trim(), timestampHeader.trim());
        if (!verification.possible()) {
            throw refused("the signature is not base64");
        }
        return verification;
    }

    /** The body as received (spooled, not held), fed to the signature check as it arrives. */
    private static SpooledBody read(HttpServletRequest request, SendGridSignature.Verification verification)
            throws IOException {
        SpooledBody body = new SpooledBody();
        try {
            byte[] buffer = new byte[8192];
            InputStream in = request.getInputStream();
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                verification.update(buffer, 0, n);
                body.write(buffer, 0, n);
            }
            return body;
        } catch (IOException | RuntimeException e) {
            body.close();
            throw e;
        }
    }

    private List<ProviderEventStore.IncomingEvent> parse(SpooledBody body) {
        JsonNode root;
        try {
            root = ProviderPayloads.readTree(body);
        } catch (IOException e) {
            throw Refusal.invalid(
                    "body", "is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isArray()) {
            throw Refusal.invalid("body", "must be a JSON array of events");
        }
        List<ProviderEventStore.IncomingEvent> events = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode event = root.get(i);
            if (!event.isObject()) {
                throw Refusal.invalid("[" + i + "]", "must be an event object");
            }
            String payload = event.toString();
            String id = event.path("sg_event_id").asText("");
            events.add(new ProviderEventStore.IncomingEvent(
                    id.isEmpty() ? "sha256:" + sha256(payload) : id,
                    event.path("event").asText(null),
                    payload));
        }
        return events;
    }

    private static ApiProblemException refused(String detail) {
        return new ApiProblemException(HttpStatus.FORBIDDEN, ProblemTypes.SIGNATURE_REFUSED, detail, List.of());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
