package io.loyalflow.audience;

/**
 * Meta refused the request for good (4xx other than rate limits: bad token 190, permissions 200, bad
 * audience 100...). The message names the audience, HTTP status and Meta's error, never the token.
 */
class AudienceRequestRejectedException extends RuntimeException {

    AudienceRequestRejectedException(String message) {
        super(message);
    }
}
