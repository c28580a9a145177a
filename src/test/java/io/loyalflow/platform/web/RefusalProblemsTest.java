package io.loyalflow.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.ServletWebRequest;

/** Each kind of refusal a feature throws reads as the same problem document the API has always answered. */
class RefusalProblemsTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler();
    private final ServletWebRequest request =
            new ServletWebRequest(new MockHttpServletRequest("PUT", "/api/customers/c-1"));

    @Test
    void invalidValuesAre422NamingEveryField() {
        ProblemDetail problem = answer(
                Refusal.invalid(List.of(
                        new FieldViolation("email", "must be an address"),
                        new FieldViolation("email", "must be at most 254 characters"),
                        new FieldViolation("locale", "unknown"))),
                422,
                "urn:loyalflow:problem:invalid-fields",
                "Unprocessable Entity");

        assertThat(problem.getDetail()).isEqualTo("3 fields are invalid: email, locale");
        assertThat(problem.getProperties().get("errors"))
                .asList()
                .extracting("field")
                .containsExactly("email", "email", "locale");
    }

    @Test
    void oneInvalidFieldIsItsOwnDetail() {
        ProblemDetail problem = answer(
                Refusal.invalid("customerId", "must be 1 to 64 letters"),
                422,
                "urn:loyalflow:problem:invalid-fields",
                "Unprocessable Entity");

        assertThat(problem.getDetail()).isEqualTo("customerId: must be 1 to 64 letters");
        assertThat(problem.getProperties().get("errors"))
                .isEqualTo(List.of(new FieldViolation("customerId", "must be 1 to 64 letters")));
    }

    @Test
    void invalidValuesMayCarryTheCallersOwnDetail() {
        ProblemDetail problem = answer(
                Refusal.invalid(
                        "Campaign c-1 cannot be activated: 1 problem(s).",
                        List.of(new FieldViolation("template", "is unknown"))),
                422,
                "urn:loyalflow:problem:invalid-fields",
                "Unprocessable Entity");

        assertThat(problem.getDetail()).isEqualTo("Campaign c-1 cannot be activated: 1 problem(s).");
    }

    @Test
    void notFoundIs404WithoutAFieldList() {
        ProblemDetail problem =
                answer(Refusal.notFound("No customer c-1."), 404, "urn:loyalflow:problem:not-found", "Not Found");

        assertThat(problem.getDetail()).isEqualTo("No customer c-1.");
        assertThat(problem.getProperties()).isNull();
    }

    @Test
    void conflictIs409WithTheFieldsInTheWay() {
        ProblemDetail problem = answer(
                Refusal.conflict("Campaign c-1 is archived.", List.of(new FieldViolation("state", "is ARCHIVED"))),
                409,
                "urn:loyalflow:problem:conflict",
                "Conflict");

        assertThat(problem.getProperties().get("errors"))
                .isEqualTo(List.of(new FieldViolation("state", "is ARCHIVED")));
    }

    @Test
    void aConflictWithoutFieldsHasNoFieldList() {
        ProblemDetail problem = answer(
                Refusal.conflict("A segment refresh is already running.", List.of()),
                409,
                "urn:loyalflow:problem:conflict",
                "Conflict");

        assertThat(problem.getProperties()).isNull();
    }

    @Test
    void forbiddenIs403NamingTheValuesThisCallerMayNotUse() {
        ProblemDetail problem = answer(
                Refusal.forbidden(
                        "Personal data is for the service account.",
                        List.of(new FieldViolation("conditions.field", "is personal"))),
                403,
                "urn:loyalflow:problem:forbidden",
                "Forbidden");

        assertThat(problem.getProperties().get("errors"))
                .isEqualTo(List.of(new FieldViolation("conditions.field", "is personal")));
    }

    @Test
    void aStaleVersionIs412() {
        ProblemDetail problem = answer(
                Refusal.staleVersion("Customer c-1 is at version 4, not at version 3."),
                412,
                "urn:loyalflow:problem:precondition-failed",
                "Precondition Failed");

        assertThat(problem.getDetail()).isEqualTo("Customer c-1 is at version 4, not at version 3.");
        assertThat(problem.getProperties()).isNull();
    }

    @Test
    void everyKindHasItsOwnStatusAndType() {
        assertThat(Arrays.stream(Refusal.Kind.values())
                        .map(ApiExceptionHandler::status)
                        .distinct())
                .hasSize(Refusal.Kind.values().length);
        assertThat(Arrays.stream(Refusal.Kind.values())
                        .map(ApiExceptionHandler::type)
                        .distinct())
                .hasSize(Refusal.Kind.values().length);
    }

    private ProblemDetail answer(Refusal refusal, int status, String type, String title) {
        ResponseEntity<Object> response = handler.refusal(refusal, request);

        assertThat(response.getStatusCode().value()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        ProblemDetail problem = (ProblemDetail) response.getBody();
        assertThat(problem.getStatus()).isEqualTo(status);
        assertThat(problem.getType()).isEqualTo(URI.create(type));
        assertThat(problem.getTitle()).isEqualTo(title);
        assertThat(problem.getInstance()).isEqualTo(URI.create("/api/customers/c-1"));
        return problem;
    }
}
