package io.loyalflow.messaging.webhook;

import com.twilio.security.RequestValidator;
import java.util.Map;

/**
 * Verifies Twilio's {@code X-Twilio-Signature} on status callbacks and inbound messages (HMAC-SHA1 keyed
 * with the account's auth token over the full URL plus the sorted form parameters), through the SDK's
 * {@link RequestValidator}.
 *
 * <p>The URL must be the one Twilio called (the public base URL, not the address behind a proxy), and the
 * parameters only the POSTed form fields: Spring's parameter map also holds query parameters, which are
 * already part of the URL. Twilio adds parameters without notice, so pass whatever arrived.
 *
 * <p>Thread-safe: {@link RequestValidator} keeps only the token and builds its MAC per call.
 */
final class TwilioSignature {

    static final String PROPERTY = "loyalflow.messaging.twilio.auth-token";

    private final RequestValidator validator;

    /** @throws IllegalArgumentException when the auth token is blank */
    public TwilioSignature(String authToken) {
        if (authToken == null || authToken.isBlank()) {
            throw new IllegalArgumentException(PROPERTY + " is not set: Twilio's request signatures cannot be checked");
        }
        this.validator = new RequestValidator(authToken);
    }

    /**
     * @param url the full URL Twilio requested, query string included
     * @param formParams the POSTed form parameters (not query parameters)
     * @param signatureHeader the {@code X-Twilio-Signature} header
     * @return whether the signature is valid; false for a missing signature or malformed input
     */
    public boolean verify(String url, Map<String, String> formParams, String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank() || url == null || url.isBlank()) {
            return false;
        }
        try {
            return validator.validate(url, formParams == null ? Map.of() : formParams, signatureHeader.trim());
        } catch (RuntimeException e) {
            // The SDK parses the URL (port variants); a malformed one is a failed check, not a server error.
            return false;
        }
    }
}
