package io.loyalflow.platform.web;

import java.net.URI;
import org.springframework.http.HttpStatus;

/** Raised while reading a request body that exceeds the configured limit. */
class PayloadTooLargeException extends RequestBodyRefusedException {

    private final long limit;

    public PayloadTooLargeException(long limit, String detail) {
        super(detail, null);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.PAYLOAD_TOO_LARGE;
    }

    @Override
    public URI type() {
        return ProblemTypes.PAYLOAD_TOO_LARGE;
    }
}
