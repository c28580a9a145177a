package io.loyalflow.platform.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalflow.platform.hostile.ApiAccess.Caller;
import io.loyalflow.platform.hostile.ApiSamples.Fixture;
import io.loyalflow.platform.hostile.ApiSamples.Sample;
import io.loyalflow.platform.hostile.HostileValues.Value;
import io.loyalflow.platform.hostile.OpenApiOperations.Field;
import io.loyalflow.platform.hostile.OpenApiOperations.Kind;
import io.loyalflow.platform.hostile.OpenApiOperations.Operation;
import io.loyalflow.platform.hostile.OpenApiOperations.Parameter;
import io.loyalflow.testsupport.IntegrationTest;
import io.loyalflow.testsupport.TestUsers;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.Method;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The API as an attacker sees it, derived from its OpenAPI document (so a new operation or field is
 * covered without anyone listing it here):
 * <ul>
 *   <li>every operation, called by nobody, with a wrong password, and by a user of each group, of no
 *       group and the administrator, answers as {@link ApiAccess} says;</li>
 *   <li>every field of every JSON body, and every query parameter, given a wrong type, a NUL
 *       character, 100,000 characters, extreme numbers or extreme dates, is refused with a 4xx
 *       problem document naming it, never a 5xx, and nothing is stored.</li>
 * </ul>
 * Runs in the PostgreSQL execution only (where NUL bytes and date ranges bite), on the shared
 * Spring context: one HTTP request per case, plus one row-count query before and after it.
 */
@Tag("database")
@Tag("postgres-only")
class HostileInputTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_JSON = "application/problem+json";
    /** A hostile value that pins a thread fails its case instead of hanging the build. */
    private static final RestAssuredConfig BOUNDED = RestAssuredConfig.config()
            .httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.connection.timeout", 10_000)
                    .setParam("http.socket.timeout", 30_000));

    private static final String ABSENT = "hostile-absent";
    private static final AtomicLong SENDS = new AtomicLong();
    private static volatile boolean fixturesReady;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RepositoryService repository;

    // ---- the access table

    @Test
    void everyOperationIsClassifiedAndEveryBodyOrQueryHasAValidSample() {
        List<Operation> operations = operations();
        Set<String> documented = operations.stream().map(Operation::key).collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented)
                .as("the OpenAPI document lists the API's operations")
                .isNotEmpty();
        assertThat(new TreeSet<>(ApiAccess.ALLOWED.keySet()))
                .as(
                        "ApiAccess.ALLOWED must classify every operation of /v3/api-docs, and nothing else: say who may call "
                                + "a new operation there (and in SecurityConfiguration and the README's group table)")
                .isEqualTo(documented);
        Set<String> needSamples = operations.stream()
                .filter(operation ->
                        operation.hasJsonBody() || !operation.queryParameters().isEmpty())
                .map(Operation::key)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(ApiSamples.SAMPLES.keySet()))
                .as("ApiSamples.SAMPLES must give a valid request for every operation with a JSON body or query "
                        + "parameters, and nothing else")
                .isEqualTo(needSamples);
    }

    @TestFactory
    Stream<DynamicNode> eachCallerIsLetInOnlyWhereItsGroupMay() {
        return operations().stream()
                .map(operation -> DynamicContainer.dynamicContainer(
                        operation.key(),
                        Stream.of(Caller.values())
                                .map(caller -> DynamicTest.dynamicTest(
                                        operation.key() + " as " + caller, () -> checkAccess(operation, caller)))));
    }

    private void checkAccess(Operation operation, Caller caller) {
        Set<Caller> allowed = ApiAccess.ALLOWED.get(operation.key());
        assertThat(allowed)
                .as("%s is not classified in ApiAccess.ALLOWED", operation.key())
                .isNotNull();
        RequestSpecification request = switch (caller) {
            case ANONYMOUS -> anonymous();
            case WRONG_PASSWORD -> anonymous().auth().preemptive().basic(caller.user.id, "not-" + caller.user.password);
            default -> as(caller.user);
        };
        Map<String, String> pathParameters = new HashMap<>();
        pathParameterNames(operation.path()).forEach(name -> pathParameters.put(name, ABSENT));
        request.config(BOUNDED).pathParams(pathParameters);
        if (operation.bodyMediaType() != null) {
            request.contentType(operation.bodyMediaType())
                    .body(operation.hasJsonBody() ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0]);
        }
        Response response = request.request(Method.valueOf(operation.method()), operation.path());
        int status = response.statusCode();
        String answer = operation.key() + " as " + caller + " answered " + status + " " + excerpt(response);
        if (!caller.authenticates()) {
            assertThat(status).as(answer).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).as(answer).startsWith("Basic");
        } else if (!allowed.contains(caller)) {
            assertThat(status).as(answer).isEqualTo(403);
        } else {
            assertThat(status)
                    .as(answer + " (an allowed caller must get past the security checks)")
                    .isNotIn(401, 403)
                    .isLessThan(500);
        }
        if (status >= 400) {
            assertThat(response.contentType()).as(answer).startsWith(PROBLEM_JSON);
        }
    }

    // ---- hostile values

    @TestFactory
    Stream<DynamicNode> theValidSamplesAreAccepted() {
        ensureFixtures();
        return operationsWithSamples().flatMap(operation -> {
            List<Sample> samples = ApiSamples.SAMPLES.get(operation.key());
            List<DynamicNode> tests = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                Sample sample = samples.get(i);
                tests.add(DynamicTest.dynamicTest(operation.key() + " sample " + (i + 1), () -> {
                    String unique = unique();
                    prepare(sample, unique);
                    Response response = send(operation, sample, unique, body(sample, unique), sample.query());
                    assertThat(response.statusCode())
                            .as(
                                    "%s sample answered %d %s: the samples must be valid so that each hostile case has one fault",
                                    operation.key(), response.statusCode(), excerpt(response))
                            .isBetween(200, 299);
                }));
            }
            return tests.stream();
        });
    }

    @TestFactory
    Stream<DynamicNode> hostileBodyFieldsAreRefusedNamingTheField() {
        ensureFixtures();
        return operationsWithSamples()
                .filter(Operation::hasJsonBody)
                .map(operation -> DynamicContainer.dynamicContainer(operation.key(), bodyCases(operation)));
    }

    private Stream<DynamicNode> bodyCases(Operation operation) {
        List<Sample> samples = ApiSamples.SAMPLES.get(operation.key());
        List<DynamicNode> cases = new ArrayList<>();
        for (Field field : operation.bodyFields()) {
            Sample sample = sampleFor(field.path(), samples);
            for (Value value : HostileValues.forDeclared(field.kind())) {
                cases.add(bodyCase(operation, sample, field.path(), field.path().upTo(namingRoot(field)), value));
            }
            if (field.kind() == Kind.FREE_OBJECT) {
                // JSON the schema does not describe: the sample's own content is spoilt leaf by leaf
                String root = field.freeFormRoot() != null
                        ? field.freeFormRoot()
                        : field.path().toString();
                sampleLeaves(field.path(), field.path().in(json(body(sample, "sample"))), leaf -> {
                    for (Value value : HostileValues.forSampleLeaf(leaf.getValue())) {
                        cases.add(bodyCase(
                                operation, sample, leaf.getKey(), leaf.getKey().upTo(root), value));
                    }
                });
            }
        }
        return cases.stream();
    }

    private static String namingRoot(Field field) {
        return field.freeFormRoot() != null
                ? field.freeFormRoot()
                : field.path().toString();
    }

    private DynamicTest bodyCase(Operation operation, Sample sample, JsonPath path, List<String> names, Value value) {
        return DynamicTest.dynamicTest(operation.key() + " " + path + " = " + value.label(), () -> {
            String unique = unique();
            prepare(sample, unique);
            ObjectNode body = json(body(sample, unique));
            path.set(body, value.node());
            Map<String, Long> before = storedRows().snapshot();
            Response response = send(operation, sample, unique, JSON.writeValueAsString(body), sample.query());
            Map<String, Long> after = storedRows().snapshot();
            assertRefused(operation.key() + " with " + path + " = " + value.label(), response, names, before, after);
        });
    }

    @TestFactory
    Stream<DynamicNode> hostileQueryParametersAreRefusedNamingTheParameter() {
        ensureFixtures();
        return operationsWithSamples()
                .filter(operation -> !operation.queryParameters().isEmpty())
                .map(operation -> DynamicContainer.dynamicContainer(
                        operation.key(),
                        operation.queryParameters().stream()
                                .flatMap(parameter -> HostileValues.forQueryParameter(parameter.kind()).stream()
                                        .map(value -> queryCase(operation, parameter, value)))));
    }

    private DynamicTest queryCase(Operation operation, Parameter parameter, Value value) {
        Sample sample = ApiSamples.SAMPLES.get(operation.key()).get(0);
        return DynamicTest.dynamicTest(operation.key() + " ?" + parameter.name() + "=" + value.label(), () -> {
            String unique = unique();
            prepare(sample, unique);
            Map<String, String> query = new LinkedHashMap<>(sample.query());
            query.put(parameter.name(), value.text());
            Map<String, Long> before = storedRows().snapshot();
            Response response = send(operation, sample, unique, body(sample, unique), query);
            Map<String, Long> after = storedRows().snapshot();
            assertRefused(
                    operation.key() + " with ?" + parameter.name() + "=" + value.label(),
                    response,
                    List.of(parameter.name()),
                    before,
                    after);
        });
    }

    /** A 4xx problem document naming the field (in its errors or its detail), and no row stored or deleted. */
    private static void assertRefused(
            String what, Response response, List<String> names, Map<String, Long> before, Map<String, Long> after) {
        int status = response.statusCode();
        List<String> faults = new ArrayList<>();
        if (status < 400 || status >= 500) {
            faults.add(status < 400 ? "accepted (" + status + ")" : "server error (" + status + ")");
        } else {
            String contentType = response.contentType();
            if (contentType == null || !contentType.startsWith(PROBLEM_JSON)) {
                faults.add("not a problem document (" + contentType + ")");
            } else if (!namesAny(response, names)) {
                faults.add("the problem does not name " + names.get(0));
            }
        }
        Map<String, String> stored = StoredRows.changes(before, after);
        if (!stored.isEmpty()) {
            faults.add("rows changed " + stored);
        }
        assertThat(faults)
                .as("%s: answered %d %s", what, status, excerpt(response))
                .isEmpty();
    }

    private static boolean namesAny(Response response, List<String> names) {
        JsonNode problem;
        try {
            problem = JSON.readTree(response.asString());
        } catch (IOException e) {
            return false;
        }
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> fields.add(error.path("field").asText()));
        String detail = problem.path("detail").asText("");
        for (String name : names) {
            if (fields.contains(name)
                    || Pattern.compile("(?<![\\w.\\[\\]])" + Pattern.quote(name) + "(?![\\w\\[])")
                            .matcher(detail)
                            .find()) {
                return true;
            }
        }
        return false;
    }

    // ---- requests

    private Response send(Operation operation, Sample sample, String unique, String body, Map<String, String> query) {
        Map<String, String> pathParameters = new HashMap<>();
        pathParameterNames(operation.path())
                .forEach(name -> pathParameters.put(
                        name, sample.pathParameters().getOrDefault(name, ABSENT).replace(ApiSamples.UNIQUE, unique)));
        RequestSpecification request = as(TestUsers.ADMIN).config(BOUNDED).pathParams(pathParameters);
        query.forEach((name, value) -> request.queryParam(name, value.replace(ApiSamples.UNIQUE, unique)));
        if (body != null) {
            request.body(body);
        }
        return request.request(Method.valueOf(operation.method()), operation.path());
    }

    private void prepare(Sample sample, String unique) {
        if (sample.customerFirst() != null) {
            String id = sample.customerFirst().replace(ApiSamples.UNIQUE, unique);
            as(TestUsers.ADMIN)
                    .body(Map.of("email", id + "@example.com"))
                    .put("/api/customers/{id}", id)
                    .then()
                    .statusCode(201);
        }
    }

    private void ensureFixtures() {
        if (fixturesReady) {
            return;
        }
        for (String wait : List.of("P30D", "P31D")) {
            if (repository
                            .createProcessDefinitionQuery()
                            .processDefinitionKey(ApiSamples.JOURNEY_TEMPLATE)
                            .count()
                    >= 2) {
                break;
            }
            repository
                    .createDeployment()
                    .name(ApiSamples.JOURNEY_TEMPLATE)
                    .enableDuplicateFiltering(true)
                    .addModelInstance(
                            ApiSamples.JOURNEY_TEMPLATE + ".bpmn",
                            Bpmn.createExecutableProcess(ApiSamples.JOURNEY_TEMPLATE)
                                    .camundaHistoryTimeToLive(1)
                                    .startEvent("StartEvent_Entered")
                                    .intermediateCatchEvent("Event_Wait")
                                    .timerWithDuration(wait)
                                    .endEvent("EndEvent_Lapsed")
                                    .done())
                    .deploy();
        }
        for (Fixture fixture : ApiSamples.FIXTURES) {
            RequestSpecification request = as(TestUsers.ADMIN);
            if (fixture.body() != null) {
                request.body(fixture.body());
            }
            Response response = request.request(Method.valueOf(fixture.method()), fixture.path());
            int status = response.statusCode();
            assertThat(status >= 200 && status < 300 || status == 409)
                    .as("fixture %s %s answered %d %s", fixture.method(), fixture.path(), status, excerpt(response))
                    .isTrue();
        }
        fixturesReady = true;
    }

    // ---- the OpenAPI document

    private static volatile List<Operation> operations;

    private List<Operation> operations() {
        if (operations == null) {
            String document = anonymous()
                    .get("/v3/api-docs")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            operations = new OpenApiOperations(read(document)).all();
        }
        return operations;
    }

    private Stream<Operation> operationsWithSamples() {
        return operations().stream().filter(operation -> ApiSamples.SAMPLES.containsKey(operation.key()));
    }

    private static List<String> pathParameterNames(String path) {
        List<String> names = new ArrayList<>();
        var matcher = Pattern.compile("\\{([^}]+)}").matcher(path);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The first sample that has the field, else the first that has the object it belongs in, else the first. */
    private static Sample sampleFor(JsonPath path, List<Sample> samples) {
        for (Sample sample : samples) {
            if (!path.in(json(body(sample, "sample"))).isMissingNode()) {
                return sample;
            }
        }
        for (Sample sample : samples) {
            if (!path.parent().in(json(body(sample, "sample"))).isMissingNode()) {
                return sample;
            }
        }
        return samples.get(0);
    }

    private static void sampleLeaves(
            JsonPath path, JsonNode node, java.util.function.Consumer<Map.Entry<JsonPath, JsonNode>> leaf) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(child -> sampleLeaves(path.property(child.getKey()), child.getValue(), leaf));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                sampleLeaves(path.index(i), node.get(i), leaf);
            }
        } else if (!node.isMissingNode() && !node.isNull()) {
            leaf.accept(Map.entry(path, node));
        }
    }

    private static String body(Sample sample, String unique) {
        return sample.body() == null ? null : sample.body().replace(ApiSamples.UNIQUE, unique);
    }

    private static ObjectNode json(String text) {
        JsonNode node = read(text == null ? "{}" : text);
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalStateException("a sample body must be a JSON object: " + text);
        }
        return object;
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    private StoredRows storedRows;

    private StoredRows storedRows() {
        if (storedRows == null) {
            storedRows = new StoredRows(jdbc);
        }
        return storedRows;
    }

    /** Fresh for every send: lower-case letters and digits, valid in every id the API takes. */
    private static String unique() {
        return Long.toString(SENDS.incrementAndGet(), 36) + "x"
                + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String excerpt(Response response) {
        String text = response.asString();
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
