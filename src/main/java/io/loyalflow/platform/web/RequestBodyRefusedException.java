package io.loyalflow.platform.web;

import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * A request body refused while it is read (too large, too slow): an IOException, so it travels through
 * whatever reads the body, and every layer that catches it can answer the client with its problem.
 */
abstract class RequestBodyRefusedException extends IOException {

    protected RequestBodyRefusedException(String detail, Throwable cause) {
        super(detail, cause);
    }

    public abstract HttpStatus status();

    public abstract URI type();
}
