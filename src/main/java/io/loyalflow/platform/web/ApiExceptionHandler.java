package io.loyalflow.platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of Loyalflow's own API is an RFC 7807 problem: a type, a title, a detail that says what
 * to fix, and {@code errors} naming each field at fault. Stack traces never leave the service.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiProblemException.class)
    ResponseEntity<Object> apiProblem(ApiProblemException e, WebRequest request) {
        ProblemDetail problem = problem(e.status(), e.type(), e.getMessage(), e.violations(), request);
        e.properties().forEach(problem::setProperty);
        return respond(e.status(), problem);
    }

    /** A feature's refusal: each kind has one status and one problem type. */
    @ExceptionHandler(Refusal.class)
    ResponseEntity<Object> refusal(Refusal e, WebRequest request) {
        HttpStatus status = status(e.kind());
        return respond(status, problem(status, type(e.kind()), e.getMessage(), e.violations(), request));
    }

    static HttpStatus status(Refusal.Kind kind) {
        return switch (kind) {
            case INVALID -> HttpStatus.UNPROCESSABLE_ENTITY;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case STALE_VERSION -> HttpStatus.PRECONDITION_FAILED;
        };
    }

    static URI type(Refusal.Kind kind) {
        return switch (kind) {
            case INVALID -> ProblemTypes.INVALID_FIELDS;
            case NOT_FOUND -> ProblemTypes.NOT_FOUND;
            case CONFLICT -> ProblemTypes.CONFLICT;
            case FORBIDDEN -> ProblemTypes.FORBIDDEN;
            case STALE_VERSION -> ProblemTypes.PRECONDITION_FAILED;
        };
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> parameterType(MethodArgumentTypeMismatchException e, WebRequest request) {
        String field = e.getName();
        String message = "expected " + JsonErrors.describe(e.getRequiredType());
        return invalidInput(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST, field, message, request);
    }

    /** Spring Security's firewall refuses some requests lazily, e.g. a parameter name with a control character. */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<Object> rejected(RequestRejectedException e, WebRequest request) {
        return respond(
                HttpStatus.BAD_REQUEST,
                problem(
                        HttpStatus.BAD_REQUEST,
                        ProblemTypes.MALFORMED_REQUEST,
                        "The request was refused: " + e.getMessage() + ".",
                        request));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        if (causeOf(e, RequestBodyRefusedException.class) instanceof RequestBodyRefusedException refused) {
            return refused(refused, request);
        }
        String incident = UUID.randomUUID().toString();
        log.error("Unexpected error {} on {}", incident, describe(request), e);
        ProblemDetail problem = problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                ProblemTypes.INTERNAL_ERROR,
                "The service failed unexpectedly; nothing was changed by this request unless its answer says so. "
                        + "Quote incident " + incident + " to the operators.",
                request);
        problem.setProperty("incident", incident);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (causeOf(e, RequestBodyRefusedException.class) instanceof RequestBodyRefusedException refused) {
            return refused(refused, request);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            FieldViolation violation = JsonErrors.violation(json);
            if (violation.field().isEmpty()) {
                return respond(
                        HttpStatus.BAD_REQUEST,
                        problem(
                                HttpStatus.BAD_REQUEST,
                                ProblemTypes.MALFORMED_REQUEST,
                                capitalise(violation.message()) + ".",
                                request));
            }
            return invalidInput(
                    HttpStatus.BAD_REQUEST,
                    ProblemTypes.MALFORMED_REQUEST,
                    violation.field(),
                    violation.message(),
                    request);
        }
        return respond(
                HttpStatus.BAD_REQUEST,
                problem(
                        HttpStatus.BAD_REQUEST,
                        ProblemTypes.MALFORMED_REQUEST,
                        "The request body is missing or unreadable.",
                        request));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldViolation> violations = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldViolation(error.getField(), error.getDefaultMessage()))
                .toList();
        return refusal(Refusal.invalid(violations), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type " + (e.getContentType() == null ? "(none)" : e.getContentType())
                        + " is not accepted here; use one of " + e.getSupportedMediaTypes() + ".",
                request);
        return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, problem);
    }

    /** Every answer built here is a problem document, whatever the request's Accept header allowed. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getInstance() == null) {
            problem.setInstance(instance(request));
        }
        HttpHeaders withType = new HttpHeaders();
        withType.putAll(headers);
        withType.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return super.createResponseEntity(body, withType, status, request);
    }

    /** A body refused while it was read (RequestBodyLimitFilter): too large or too slow. */
    private ResponseEntity<Object> refused(RequestBodyRefusedException e, WebRequest request) {
        return respond(e.status(), problem(e.status(), e.type(), e.getMessage(), request));
    }

    private ResponseEntity<Object> invalidInput(
            HttpStatus status, URI type, String field, String message, WebRequest request) {
        ProblemDetail problem = problem(status, type, field.isEmpty() ? message : field + ": " + message, request);
        problem.setProperty("errors", List.of(new FieldViolation(field, message)));
        return respond(status, problem);
    }

    private static ResponseEntity<Object> respond(HttpStatusCode status, ProblemDetail problem) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static ProblemDetail problem(
            HttpStatus status, URI type, String detail, List<FieldViolation> violations, WebRequest request) {
        ProblemDetail problem = problem(status, type, detail, request);
        if (!violations.isEmpty()) {
            problem.setProperty("errors", violations);
        }
        return problem;
    }

    static ProblemDetail problem(HttpStatus status, URI type, String detail, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setInstance(instance(request));
        return problem;
    }

    private static URI instance(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            HttpServletRequest http = servlet.getRequest();
            return URI.create(http.getRequestURI());
        }
        return null;
    }

    private static String describe(WebRequest request) {
        return request instanceof ServletWebRequest servlet
                ? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI()
                : request.getDescription(false);
    }

    private static String capitalise(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    static Throwable causeOf(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }
}
