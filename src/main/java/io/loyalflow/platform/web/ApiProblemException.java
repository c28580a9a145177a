package io.loyalflow.platform.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A refusal the API explains to its caller: a status, a problem type, a detail and the fields at fault. */
public class ApiProblemException extends RuntimeException {

  private final HttpStatus status;
  private final URI type;
  private final List<FieldViolation> violations;
  private final Map<String, Object> properties;

  public ApiProblemException(HttpStatus status, URI type, String detail, List<FieldViolation> violations) {
    this(status, type, detail, violations, Map.of());
  }

  /** @param properties further members of the problem document, e.g. what a failed import stored before */
  public ApiProblemException(HttpStatus status, URI type, String detail, List<FieldViolation> violations,
      Map<String, Object> properties) {
    super(detail);
    this.status = status;
    this.type = type;
    this.violations = List.copyOf(violations);
    this.properties = Map.copyOf(properties);
  }

  /** 422: the request is well-formed but some values are not acceptable. */
  public static ApiProblemException invalid(List<FieldViolation> violations) {
    String detail = violations.size() == 1
        ? violations.get(0).field() + ": " + violations.get(0).message()
        : violations.size() + " fields are invalid: "
            + String.join(", ", violations.stream().map(FieldViolation::field).distinct().toList());
    return new ApiProblemException(HttpStatus.UNPROCESSABLE_ENTITY, ProblemTypes.INVALID_FIELDS, detail, violations);
  }

  public static ApiProblemException invalid(String field, String message) {
    return invalid(List.of(new FieldViolation(field, message)));
  }

  public static ApiProblemException notFound(String detail) {
    return new ApiProblemException(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, detail, List.of());
  }

  public static ApiProblemException conflict(String detail, List<FieldViolation> violations) {
    return new ApiProblemException(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, detail, violations);
  }

  /** 403: the caller may make this request, but not with these values; the fields say which. */
  public static ApiProblemException forbidden(String detail, List<FieldViolation> violations) {
    return new ApiProblemException(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, detail, violations);
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
