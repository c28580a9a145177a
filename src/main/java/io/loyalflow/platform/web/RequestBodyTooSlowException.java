package io.loyalflow.platform.web;

import java.net.URI;
import org.springframework.http.HttpStatus;

/** Raised while reading a request body that has not arrived in the configured time, or stalled. */
class RequestBodyTooSlowException extends RequestBodyRefusedException {

    public RequestBodyTooSlowException(String detail, Throwable cause) {
        super(detail, cause);
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.REQUEST_TIMEOUT;
    }

    @Override
    public URI type() {
        return ProblemTypes.REQUEST_TIMEOUT;
    }
}
