package io.loyalflow.platform;

import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.loyalflow.testsupport.DatabaseTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every bad request answers with a problem document naming what is wrong, never a stack trace. */
class ApiErrorsTest extends DatabaseTest {

    private static String newId() {
        return "err-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String bigProfile() {
        return "{\"firstName\":\"" + "x".repeat(1_100_000) + "\"}";
    }

    @Test
    void oversizeBodiesAre413AndStoreNothing() {
        String id = newId();
        as(SERVICE)
                .body(bigProfile())
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:loyalflow:problem:payload-too-large"));
        as(SERVICE).get("/api/customers/{id}", id).then().statusCode(404);
    }

    @Test
    void oversizeChunkedBodiesWithoutALengthAre413Too() throws Exception {
        String id = newId();
        byte[] body = bigProfile().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/customers/" + id))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (SERVICE.id + ":" + SERVICE.password).getBytes(StandardCharsets.UTF_8)))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        as(SERVICE).get("/api/customers/{id}", id).then().statusCode(404);
    }

    @Test
    void malformedJsonIs400WithItsPositionAndNoStackTrace() {
        as(SERVICE)
                .body("{\"email\": \"a@example.com\",,}")
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:loyalflow:problem:malformed-request"))
                .body("detail", containsString("line 1, column"))
                .body(not(containsString("at io.loyalflow")))
                .body(not(containsString("Exception")));
    }

    @Test
    void duplicateKeysTrailingGarbageAndWrongShapesAre400() {
        as(SERVICE)
                .body("{\"email\": \"a@example.com\", \"email\": \"b@example.com\"}")
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(400)
                .body("detail", containsString("Duplicate field 'email'"));
        as(SERVICE)
                .body("{\"email\": \"a@example.com\"} {}")
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(SERVICE)
                .body("[1, 2]")
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(SERVICE)
                .body("{\"email\": 42}")
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("email"))
                .body("errors[0].message", equalTo("expected a string, got 42"));
    }

    @Test
    void missingBodiesAre400() {
        as(SERVICE)
                .put("/api/customers/{id}", newId())
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("missing"));
    }

    @Test
    void unknownPathsAndMethodsAnswerAsProblems() {
        as(SERVICE).get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json");
        as(SERVICE).delete("/api/orders").then().statusCode(405).contentType("application/problem+json");
        as(SERVICE)
                .contentType("text/plain")
                .body("hello")
                .post("/api/orders")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void theOpenApiDocumentDescribesTheApiAndItsAuthentication() {
        anonymous()
                .get("/v3/api-docs")
                .then()
                .statusCode(200)
                .body("info.title", equalTo("Loyalflow API"))
                .body("paths", hasKey("/api/customers/{customerId}"))
                .body("paths", hasKey("/api/orders"))
                .body("paths", hasKey("/api/imports/orders"))
                .body("components.securitySchemes.basic.scheme", equalTo("basic"));
        anonymous().get("/swagger-ui/index.html").then().statusCode(200).contentType(containsString("text/html"));
    }
}
