package io.loyalflow.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.autoconfigure.web.servlet.error.AbstractErrorController;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Errors raised outside Spring MVC's handlers (by the servlet container or a filter) answer as
 * problem details too, never as an HTML page or a stack trace.
 */
@Controller
@RequestMapping("${server.error.path:/error}")
class ProblemErrorController extends AbstractErrorController {

    public ProblemErrorController(ErrorAttributes errorAttributes) {
        super(errorAttributes);
    }

    @RequestMapping(produces = {MediaType.APPLICATION_PROBLEM_JSON_VALUE, MediaType.APPLICATION_JSON_VALUE, "*/*"})
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        HttpStatus status = getStatus(request);
        ProblemDetail problem = ProblemDetail.forStatus(status);
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (path instanceof String uri) {
            problem.setInstance(URI.create(uri));
        }
        // the container's own refusals of a request body (a read that timed out, a form over its size)
        if (status == HttpStatus.REQUEST_TIMEOUT) {
            problem.setType(ProblemTypes.REQUEST_TIMEOUT);
            problem.setDetail("The request body did not arrive in time.");
        } else if (status == HttpStatus.PAYLOAD_TOO_LARGE) {
            problem.setType(ProblemTypes.PAYLOAD_TOO_LARGE);
            problem.setDetail("The request body is too large.");
        }
        if (status.is5xxServerError()) {
            problem.setType(ProblemTypes.INTERNAL_ERROR);
            problem.setDetail("The service failed unexpectedly.");
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
