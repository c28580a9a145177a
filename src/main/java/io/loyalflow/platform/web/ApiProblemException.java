package io.loyalflow.platform.web;

import io.loyalflow.platform.problem.FieldViolation;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A refusal only the web layer can make, about the HTTP request itself: its media type, an unreadable body,
 * a webhook signature. What features refuse is a {@link io.loyalflow.platform.problem.Refusal}.
 */
public class ApiProblemException extends RuntimeException {

    private final HttpStatus status;
    private final URI type;
    private final List<FieldViolation> violations;
    private final Map<String, Object> properties;

    public ApiProblemException(HttpStatus status, URI type, String detail, List<FieldViolation> violations) {
        this(status, type, detail, violations, Map.of());
    }

    /** @param properties further members of the problem document, e.g. what a failed import stored before */
    public ApiProblemException(
            HttpStatus status,
            URI type,
            String detail,
            List<FieldViolation> violations,
            Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.type = type;
        this.violations = List.copyOf(violations);
        this.properties = Map.copyOf(properties);
    }

    public HttpStatus status() {
        return status;
    }

    public URI type() {
        return type;
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
