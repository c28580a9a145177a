package io.loyalflow.audience;

/**
 * Meta answered with a rate limit (error code 80003, also 4, 17, 32, 613), a 5xx, a timeout or an I/O
 * failure: try again later. The message names the audience, HTTP status and Meta's error, never the token.
 */
class AudienceProviderUnavailableException extends RuntimeException {

    AudienceProviderUnavailableException(String message) {
        super(message);
    }
}
